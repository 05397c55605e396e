# Host unit tests (cmocka), built for the host under AddressSanitizer and
# UndefinedBehaviorSanitizer. Each tests/unit/<name>.mk declares one test:
#   UNIT_TESTS += <name>
#   UNIT_<name>_SRCS := tests/unit/test_<name>.c <the sources it tests>
# and tests/run.sh runs every build/unit/test_<name>.

UNIT_TESTS :=
include $(wildcard tests/unit/*.mk)

UNIT_CFLAGS := -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	-Iinclude -I. -Itests/unit -D_GNU_SOURCE
UNIT_LIBS := -lcmocka -lfdt

.PHONY: unit-bins
unit-bins: $(UNIT_TESTS:%=build/unit/test_%)

define unit_rule
build/unit/test_$(1): $$(UNIT_$(1)_SRCS) $$(wildcard include/abi/*.h core/*.h vdev/*.h arch/aarch64/*.h)
	@mkdir -p build/unit
	$$(HOSTCC) $$(UNIT_CFLAGS) -o $$@ $$(UNIT_$(1)_SRCS) $$(UNIT_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))
