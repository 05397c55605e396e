# The host tool, build/facet (placeholder until tools/facet lands).
.PHONY: tool
tool:
