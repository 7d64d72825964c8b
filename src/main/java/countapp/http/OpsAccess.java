package countapp.http;

import countapp.api.ApiException;
import countapp.config.Auth;
import countapp.config.ClusterSecret;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who may read the ops endpoints ({@code /}, {@code /status}, {@code /metrics}, {@code /dashboard}): with
 * auth on, a key with {@code ops: true} (as a Bearer token or as the password of HTTP Basic), or, on a
 * worker, the cluster secret (how the coordinator health-checks). They show pids, worker addresses, the
 * partition table and traffic, which are nobody else's business.
 */
public final class OpsAccess {
    /** Sent with a 401 so that a browser opening the dashboard asks for the key (as the password). */
    public static final String CHALLENGE = "Basic realm=\"CountApp\"";

    private OpsAccess() {}

    /**
     * Returns when the request may read an ops endpoint; otherwise throws 401 (with a Basic challenge) or 403.
     *
     * @param secret the cluster secret, which also lets a request in; null where it must not (the coordinator)
     */
    public static void require(HttpServerRequest req, Auth auth, ClusterSecret secret) {
        if (!auth.enabled() || (secret != null && secret.matches(req.getHeader(ClusterSecret.HEADER)))) {
            return;
        }
        try {
            auth.authenticateOps(req.getHeader(HttpHeaders.AUTHORIZATION));
        } catch (ApiException e) {
            if (e.status() == 401) {
                req.response().putHeader("WWW-Authenticate", CHALLENGE);
            }
            throw e;
        }
    }
}
