UNIT_TESTS += manifest
UNIT_manifest_SRCS := tests/unit/test_manifest.c core/manifest.c core/fdt_sound.c core/persona.c \
	tools/facet/pack.c tools/facet/trust.c tools/facet/config.c tools/facet/diag.c \
	core/kimage.c tools/facet/persona_pack.c tools/facet/persona_crypto.c tools/facet/fileio.c
# Keys for the trust list and signed packages come from OpenSSL, as in the host tool.
build/unit/test_manifest: UNIT_LIBS += -lcrypto
build/unit/test_manifest: $(wildcard tools/facet/*.h)
