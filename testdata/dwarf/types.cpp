// Type units need C++ types with linkage names: clang -fdebug-types-section puts them in
// .debug_types (DWARF 4) or DW_UT_type units in .debug_info (DWARF 5).
namespace fixture {
struct Point { int x, y; };
template <typename T> struct Box { T value; Box *next; };
class Shape { public: virtual ~Shape() {} virtual int area() const { return 0; } int id = 1; };
}
int use_types(fixture::Box<fixture::Point> *b, fixture::Shape *s) { return b->value.x + s->area() + s->id; }
