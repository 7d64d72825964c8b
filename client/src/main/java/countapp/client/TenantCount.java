package countapp.client;

/** One line of an export: a tenant and its count in the exported window. */
public record TenantCount(String tenant, long count) {}
