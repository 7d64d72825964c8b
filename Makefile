# `make` builds and runs the coordinator in the foreground (it spawns the workers of config.yaml).
# `make tests` runs every test: unit, property and process-level integration tests.
MVN := ./mvnw -B
JAR := target/countapp.jar
SOURCES := $(shell find src/main -type f) pom.xml

.PHONY: run build tests test clean

run: $(JAR)
	bin/countapp coordinator --config config.yaml

build: $(JAR)

$(JAR): $(SOURCES)
	$(MVN) -q package -DskipTests

tests:
	$(MVN) verify

test: tests

clean:
	$(MVN) -q clean
