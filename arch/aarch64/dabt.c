#include "arch/aarch64/dabt.h"
#include "arch/aarch64/esr.h"

bool dabt_decode(uint64_t esr, uint64_t ipa, struct mmio_access *a)
{
	if (!(esr & ESR_DABT_ISV) || (esr & ESR_DABT_S1PTW))
		return false;
	a->ipa = ipa;
	a->size = 1U << ((esr >> ESR_DABT_SAS_SHIFT) & 3);
	a->write = esr & ESR_DABT_WNR;
	a->sign_extend = esr & ESR_DABT_SSE;
	a->reg64 = esr & ESR_DABT_SF;
	a->reg = (esr >> ESR_DABT_SRT_SHIFT) & 0x1F;
	return true;
}

uint64_t dabt_load_value(const struct mmio_access *a, uint64_t raw)
{
	unsigned bits = a->size * 8;
	uint64_t v = bits == 64 ? raw : raw & ((1ULL << bits) - 1);
	if (a->sign_extend && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ULL << bits;
	return a->reg64 ? v : (uint32_t)v;
}
