UNIT_TESTS += manifest
UNIT_manifest_SRCS := tests/unit/test_manifest.c core/manifest.c core/fdt_sound.c tools/facet/pack.c \
	tools/facet/config.c tools/facet/diag.c tools/facet/kimage.c
build/unit/test_manifest: $(wildcard tools/facet/*.h)
