# `make` builds and runs the coordinator in the foreground (it spawns the workers of config.yaml;
# `make CONFIG=path/to/config.yaml` runs another config).
# `make tests` runs every test: unit, property and process-level integration tests, then the client's (client/).
# `make bench` measures throughput, latency, memory and disk next to a same-run Redis reference (behind webdis)
# (see BENCHMARKS.md); `make jmh` runs the JMH micro-benchmarks of the hot paths (JMH_ARGS to filter), and
# the storage shoot-out (StoreShootout, hours at full size) only when JMH_ARGS names it;
# `make shootout-check` checks the shoot-out's candidates for exactness (CANDIDATES="lmdb ..." to choose).
MVN := ./mvnw -B
JAR := target/countapp.jar
SOURCES := $(shell find src/main -type f) pom.xml
# The Java client (client/) is its own Maven project, so its class path never holds the server's dependencies.
CLIENT := $(MVN) -f client/pom.xml
CLIENT_JAR := client/target/countapp-client.jar
CLIENT_SOURCES := $(shell find client/src/main -type f) client/pom.xml
CONFIG ?= config.yaml

.PHONY: run build tests test clean bench jmh shootout-check

run: $(JAR) $(CLIENT_JAR)
	bin/countapp coordinator --config $(CONFIG)

build: $(JAR) $(CLIENT_JAR)

$(JAR): $(SOURCES)
	$(MVN) -q package -DskipTests

$(CLIENT_JAR): $(CLIENT_SOURCES)
	$(CLIENT) -q package -DskipTests

# The client's integration tests run the server's jar, which the first command builds.
tests:
	$(MVN) -Pbench verify
	$(CLIENT) verify

test: tests

bench:
	bench/run.sh

jmh:
	$(MVN) -q -Pbench test-compile
	java -cp "target/test-classes:target/classes:$$(cat target/bench.classpath)" org.openjdk.jmh.Main $(JMH_ARGS) \
		$(if $(findstring StoreShootout,$(JMH_ARGS)),,-e StoreShootout)

# lmdbjava reads direct buffers' addresses (the JMH forks get the same flags from StoreShootout's @Fork).
shootout-check:
	$(MVN) -q -Pbench test-compile
	java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
		-cp "target/test-classes:target/classes:$$(cat target/bench.classpath)" countapp.bench.shootout.ShootoutCheck $(CANDIDATES)

clean:
	$(MVN) -q clean
	$(CLIENT) -q clean
