/* DWARF fixture: types and functions of every common shape. Rebuilt by scripts/build-fixtures.sh. */
#include <stddef.h>

typedef unsigned long long u64;
enum color { RED, GREEN = 5, BLUE = -1 };
enum big { HUGE = 0x1ffffffffULL };

struct inner { short x; char tag[3]; };

struct sample {
    int id;
    unsigned flags : 3;
    unsigned mode : 5;
    enum color color;
    struct inner in;
    union { int i; float f; } u;
    struct sample *next;
    const volatile u64 *restrict counter;
    int (*callback)(struct sample *, ...);
    double matrix[2][3];
    char name[];
};

struct __attribute__((packed)) packed { char c; int i; };

_Thread_local int tls_counter;
static int file_static = 3;
int global_array[16];
struct packed packed_value;

static int helper(struct sample *s, int n) { return s->id + n + file_static; }

int sample_entry(struct sample *s, enum color c, enum big b) {
    int (*fp)(struct sample *, int) = helper;
    return fp(s, (int)c) + (int)b + tls_counter + global_array[2] + packed_value.i;
}
