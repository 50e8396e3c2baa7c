// C half of the mixed C/Rust example (testdata/mixed/build.sh): a C struct shared with Rust, a C
// function that Rust calls, and main calling into Rust.
#include <stdint.h>
#include <stdio.h>

struct point { int32_t x, y; };
struct shape_stats { uint64_t count; struct point last; double area; };

struct rust_shape;                                   /* opaque: defined in Rust */
extern uint32_t rust_shape_kind(const struct rust_shape *s);
extern struct rust_shape *rust_make_shape(int32_t kind, int32_t a, int32_t b);
extern double rust_area(const struct rust_shape *s, struct shape_stats *stats);
extern void rust_free_shape(struct rust_shape *s);

struct shape_stats global_stats;

int32_t c_scale(const struct point *p, int32_t factor) { return (p->x + p->y) * factor; }

int main(int argc, char **argv)
{
    (void)argv;
    struct rust_shape *s = rust_make_shape(argc % 3, 3, 4);
    double a = rust_area(s, &global_stats);
    printf("kind %u area %.1f count %llu\n", rust_shape_kind(s), a, (unsigned long long)global_stats.count);
    rust_free_shape(s);
    return 0;
}
