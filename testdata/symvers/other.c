/* A second unit that has the definition of struct hidden_in_header (from types.h). */
#include "types.h"
int other_secret(struct hidden_in_header *h) { return h->secret; }
