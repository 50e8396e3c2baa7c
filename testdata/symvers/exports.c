/* The exporting unit: it sees struct hidden_in_header only declared, as genksyms would. */
struct point; struct named; struct kabi_struct; struct owner; struct hidden_in_header;
#include <stddef.h>
#define TYPES_ONLY_DECLARED
#include "types.h"

int use_point(struct point *p) { return p->x; }
EXPORT_SYMBOL(use_point);

enum color get_color(void) { return BLUE; }
EXPORT_SYMBOL(get_color);

handle_t make_handle(void) { return 7; }
EXPORT_SYMBOL_GPL(make_handle);

#ifdef VARIANT_PARAM
long scale(long x, long factor) { return x * factor; }   /* one parameter's type changed */
#else
long scale(long x, int factor) { return x * factor; }
#endif
EXPORT_SYMBOL(scale);

int rename_me(struct named *n) { return n->where != NULL; }
EXPORT_SYMBOL(rename_me);

int kabi_user(struct kabi_struct *k) { return k->a; }
EXPORT_SYMBOL_NS_GPL(kabi_user, "TESTNS");

int walk(struct owner *o) { return o->head.next != NULL; }
EXPORT_SYMBOL(walk);

int stable_fn(int v) { return v + 1; }
EXPORT_SYMBOL(stable_fn);

int exported_counter = 3;
EXPORT_SYMBOL(exported_counter);

int peek(struct hidden_in_header *h);
int peek(struct hidden_in_header *h) { return h != NULL; }
EXPORT_SYMBOL(peek);
