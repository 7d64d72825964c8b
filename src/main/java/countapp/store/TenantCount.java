package countapp.store;

/** One line of a counts export: a tenant and its count in the exported window. */
public record TenantCount(String tenant, long count) {}
