/* Types the fixture's exports use. Each VARIANT_* changes one thing (build.sh builds one object
 * per variant): the tests assert exactly which symbol versions change. */
#include <stddef.h>
#include "export.h"

struct point {
	int x, y;
#ifdef VARIANT_MEMBER
	int z;                          /* one struct member added */
#endif
};

enum color {
	RED,
#ifdef VARIANT_ENUM
	GREEN = 5,                      /* one enumerator value changed */
#else
	GREEN,
#endif
	BLUE,
};

#ifdef VARIANT_TYPEDEF
typedef unsigned long handle_t;         /* one typedef target changed */
#else
typedef unsigned int handle_t;
#endif

struct named {
#ifdef VARIANT_NAME
	int renamed;                    /* a member's name only */
#else
	int count;
#endif
	struct point *where;
};

struct kabi_struct {
	int a;
#ifdef VARIANT_KABI
	KABI_USE(1, int replacement);   /* a reserved slot put to use */
#else
	KABI_RESERVE(1);
#endif
	KABI_IGNORE(2, long ignored_slot);
};

struct list_node {                      /* a cycle: node -> owner -> node */
	struct list_node *next;
	struct owner *owner;
};
struct owner {
	struct list_node head;
	enum color color;
};

/* Defined in a header that exports.c does not include (it only declares the struct): genksyms
 * sees `struct hidden_in_header { UNKNOWN }` there, and `--visibility unit` does the same. */
#ifndef TYPES_ONLY_DECLARED
struct hidden_in_header {
	int secret;
#ifdef VARIANT_HIDDEN
	int more;
#endif
};
#endif
