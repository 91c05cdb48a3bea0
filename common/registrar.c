/* common/registrar.c - the words of the registrar interface */
#include "common/registrar.h"

const char *
registrar_step_name(enum registrar_step step)
{
	switch (step) {
	case REGISTRAR_STEP_UNLOCK: return "unlock";
	case REGISTRAR_STEP_SET: return "set-ds";
	case REGISTRAR_STEP_UPDATE: return "update";
	case REGISTRAR_STEP_RELOCK: return "relock";
	}
	return "?";
}

const char *
registrar_outcome_name(enum registrar_outcome o)
{
	switch (o) {
	case REGISTRAR_APPLIED: return "applied";
	case REGISTRAR_ALREADY: return "already";
	case REGISTRAR_NOT_SENT: return "not-sent";
	case REGISTRAR_REFUSED: return "refused";
	case REGISTRAR_UNKNOWN: return "unknown";
	}
	return "?";
}
