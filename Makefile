# `sam build` builds each function with `make build-<LogicalId>` (template.yaml: Metadata BuildMethod makefile),
# ARTIFACTS_DIR set to the directory SAM zips as that function's code. Every function's jar comes from one Maven
# build of the reactor (the stamp below), so the first target builds them all and the others only copy. Lambda's
# Java runtime puts lib/*.jar on the class path. A function's module is its logical id in kebab case without
# "Function" (FormSubmissionFunction -> functions/form-submission), unless MODULE_<LogicalId> below says otherwise;
# functions/deployment-tests runs every function's target and compares the jar with its module's.
#
# samconfig.toml sets build_in_source, so SAM runs this in the repository and the stamp is shared; without it
# SAM copies the repository per function and each copy builds the reactor once.

SHELL := /bin/bash
.SUFFIXES:
comma := ,

# The reactor's inputs: when none is newer than the stamp, the jars are current.
SOURCES := pom.xml $(shell find functions policies -name target -prune -o -type f -print)
STAMP := target/function-jars.stamp

# The function modules: those whose parent is function-parent (each shades its one jar).
FUNCTION_MODULES := $(patsubst %/pom.xml,%,$(shell grep -l '<artifactId>handoff-function-parent</artifactId>' \
                      functions/*/pom.xml | grep -v function-parent))

$(STAMP): $(SOURCES)
	source scripts/lib/java.sh && ./mvnw -B -ntp -q -Dmaven.test.skip=true package \
	  -pl $(subst $(eval) ,$(comma),$(FUNCTION_MODULES)) -am
	mkdir -p $(dir $@) && touch $@

.PHONY: jars
jars: $(STAMP)

# The modules not named as their function's logical id in kebab case.
MODULE_HubSpotSyncFunction := hubspot-sync

build-%Function: $(STAMP)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	@module='$(MODULE_$*Function)'; \
	  [ -n "$$module" ] || module=$$(sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' <<< '$*' | tr '[:upper:]' '[:lower:]'); \
	  jar=functions/$$module/target/$$module.jar; \
	  test -f "$$jar" || { echo "no $$jar for $@: is functions/$$module a function module?" >&2; exit 1; }; \
	  mkdir -p "$(ARTIFACTS_DIR)/lib" && cp "$$jar" "$(ARTIFACTS_DIR)/lib/"
