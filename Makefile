# `make` builds and runs the coordinator in the foreground (it spawns the workers of config.yaml).
# `make tests` runs every test: unit, property and process-level integration tests.
# `make bench` measures throughput, latency, memory and disk next to same-run Redis and RocksDB references
# (see BENCHMARKS.md); `make jmh` runs the JMH micro-benchmarks of the hot paths (JMH_ARGS to filter).
MVN := ./mvnw -B
JAR := target/countapp.jar
SOURCES := $(shell find src/main -type f) pom.xml

.PHONY: run build tests test clean bench jmh

run: $(JAR)
	bin/countapp coordinator --config config.yaml

build: $(JAR)

$(JAR): $(SOURCES)
	$(MVN) -q package -DskipTests

tests:
	$(MVN) -Pbench verify

test: tests

bench:
	bench/run.sh

jmh:
	$(MVN) -q -Pbench test-compile
	java -cp "target/test-classes:target/classes:$$(cat target/bench.classpath)" org.openjdk.jmh.Main $(JMH_ARGS)

clean:
	$(MVN) -q clean
