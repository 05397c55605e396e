UNIT_TESTS += config
UNIT_config_SRCS := tests/unit/test_config.c tools/facet/config.c tools/facet/diag.c tools/facet/fileio.c \
	core/kimage.c
build/unit/test_config: $(wildcard tools/facet/*.h)
