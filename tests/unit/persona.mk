UNIT_TESTS += persona
UNIT_persona_SRCS := tests/unit/test_persona.c core/persona.c core/fdt_sound.c tools/facet/persona_pack.c \
	tools/facet/persona_crypto.c tools/facet/diag.c tools/facet/fileio.c
# Signatures and hashes come from OpenSSL, as in the host tool.
build/unit/test_persona: UNIT_LIBS += -lcrypto
build/unit/test_persona: $(wildcard tools/facet/*.h)
