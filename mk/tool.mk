# The host tool: build/facet, from tools/facet and the readers it shares with
# the hypervisor (core/manifest.c, core/persona.c). Host gcc, Debian's libfdt,
# OpenSSL's libcrypto (persona-package keys and signatures).

TOOL_SRCS := $(wildcard tools/facet/*.c) core/manifest.c core/persona.c core/fdt_sound.c core/kimage.c
TOOL_OBJS := $(patsubst %.c,build/host/%.o,$(TOOL_SRCS))

TOOL_CFLAGS := -std=c11 -O2 -g -D_GNU_SOURCE \
	-Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wvla \
	-Iinclude -I. -MMD -MP
TOOL_LIBS := -lfdt -lcrypto

.PHONY: tool
tool: build/facet

build/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TOOL_CFLAGS) -c -o $@ $<

build/facet: $(TOOL_OBJS)
	$(HOSTCC) $(TOOL_CFLAGS) -o $@ $(TOOL_OBJS) $(TOOL_LIBS)

-include $(TOOL_OBJS:.o=.d)
