package countapp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisConfigTest {
    @TempDir
    Path dir;

    private Config parse(String text) throws ConfigException {
        return ConfigLoader.parse(text, dir.resolve("config.yaml"));
    }

    private String problems(String text) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(text));
        assertThat(e).as("config must be rejected:%n%s", text).isNotNull();
        return e.getMessage();
    }

    @Test
    void parse_singleRedisNode_isStandaloneWithDefaults() throws Exception {
        Config c = parse("workers: 1\ndatabase: redis://10.0.0.5:7000\n");

        assertThat(c.database()).isNull();
        assertThat(c.redis().cluster()).isFalse();
        assertThat(c.redis().nodes()).containsExactly(new RedisConfig.HostPort("10.0.0.5", 7000));
        assertThat(c.redis().tls()).isFalse();
        assertThat(c.redis().password()).isNull();
        assertThat(c.redis().waitReplicas()).isZero();
        assertThat(c.databaseName()).isEqualTo("redis://10.0.0.5:7000");
    }

    @Test
    void parse_severalNodesTlsPasswordAndWait_isClusterWithAllSettings() throws Exception {
        Config c = parse("workers: 1\ndatabase: rediss://a:7000, b:7001,[::1]:7002,c\n"
                + "redis_password: s3cret-pass\nredis_wait_replicas: 1\n");

        assertThat(c.redis().cluster()).isTrue();
        assertThat(c.redis().tls()).isTrue();
        assertThat(c.redis().nodes()).containsExactly(new RedisConfig.HostPort("a", 7000),
                new RedisConfig.HostPort("b", 7001), new RedisConfig.HostPort("::1", 7002),
                new RedisConfig.HostPort("c", 6379));
        assertThat(c.redis().password()).isEqualTo("s3cret-pass");
        assertThat(c.redis().waitReplicas()).isEqualTo(1);
        assertThat(c.databaseName()).doesNotContain("s3cret").isEqualTo("rediss://a:7000,b:7001,[::1]:7002,c:6379");
        assertThat(c.redis().toString()).doesNotContain("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://", "redis://a:0", "redis://a:x", "redis://a,,b", "redis://a:1/0",
            "redis://:1"})
    void parse_badRedisUrl_rejectedNamingDatabase(String url) {
        assertThat(problems("workers: 1\ndatabase: " + url + "\n")).contains("database:");
    }

    @Test
    void parse_passwordInUrl_rejectedWithoutEchoingIt() {
        assertThat(problems("workers: 1\ndatabase: redis://user:hunter22@a:1\n"))
                .contains("redis_password").doesNotContain("hunter22");
    }

    @Test
    void parse_redisKeysWithFolderDatabase_rejected() {
        assertThat(problems("workers: 1\ndatabase: db/\nredis_wait_replicas: 1\n"))
                .contains("redis_wait_replicas: applies only");
    }

    @Test
    void parse_negativeWaitReplicas_rejected() {
        assertThat(problems("workers: 1\ndatabase: redis://a:1\nredis_wait_replicas: -1\n"))
                .contains("redis_wait_replicas");
    }
}
