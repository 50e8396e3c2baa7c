// Rust layout fixture: every construct rust-dwarf-notes.md lists, and a `main` that prints the
// true size of each type and offset of each field (core::mem::size_of / offset_of!). The tests
// build it with rustc (-g; DWARF 4 and 5; opt-level 0 and 2; codegen-units 1 and 4), run it, encode
// its DWARF with btfkit and compare the BTF with these numbers, then load the BTF in the kernel.
#![allow(dead_code)]
use core::marker::PhantomData;
use core::mem::{offset_of, size_of};

pub struct Plain { pub a: u8, pub b: u64, pub c: u16 }
pub struct Tuple(pub u32, pub u8, pub u64);
pub struct Generic<T> { pub value: T, pub count: usize }
pub enum Fieldless { A, B, C }
pub enum Signed { Neg = -3, Zero = 0, Pos = 7 }
pub enum WithData { Empty, One(u32), Two { x: u8, y: u64 } }
pub enum Niche { Nothing, Ref(&'static u32) }
#[repr(u128)] pub enum Wide { X = 1, Y = u128::MAX }
#[repr(u8)] pub enum Small { P = 1, Q = 200 }
pub struct Zst;
pub struct HasZst { pub a: u32, pub z: Zst, pub p: PhantomData<u64>, pub unit: (), pub b: u8 }
pub struct Scalars { pub c: char, pub i: i128, pub u: u128, pub f: f32, pub d: f64, pub t: bool, pub s: i16 }
pub struct Fat<'a> { pub s: &'a str, pub sl: &'a [u16], pub d: &'a dyn Fn(u32) -> u32, pub b: Box<[u8]> }
pub struct Nested { pub inner: Plain, pub arr: [u16; 5], pub tuple: (u8, u32), pub opt: Option<u32> }
#[repr(C)] pub struct ReprC { pub a: u8, pub b: u32, pub c: u8 }
#[repr(C, packed)] pub struct Packed { pub a: u8, pub b: u32, pub c: u16 }
#[repr(align(64))] pub struct Aligned { pub a: u8, pub b: [u8; 3] }
#[repr(C)] pub union Union { pub a: u32, pub b: f64, pub c: [u8; 3] }
pub struct Closures<F: Fn() -> u32> { pub f: F, pub n: u8 }
pub struct Tail { pub len: usize, pub data: [u8] }
// Names that are valid Rust but not C: C keywords (C89–C23, GNU), GNU C's predefined macros, and a
// field whose C rename (`signed_`) is taken by a sibling. The printed C header must rename them.
#[allow(non_camel_case_types, non_snake_case)]
pub struct int { pub signed: u8, pub int: u32, pub long: u64, pub default: u16, pub register: u8, pub auto: u32,
                 pub volatile: u8, pub char: u16, pub union: u64, pub linux: u8, pub unix: u32, pub i386: u16,
                 pub r#typeof: u8, pub inline: u32, pub restrict: u8, pub _Bool: u8, pub _Atomic: u16,
                 pub signed_: u32, pub bool: bool, pub static_assert: u8 }
#[allow(non_camel_case_types)]
pub enum unsigned { volatile, register, linux }
#[allow(non_camel_case_types)]
pub struct linux { pub unix: unsigned, pub inner: int }

macro_rules! layout {
    ($name:expr, $t:ty $(, $field:tt)*) => {{
        println!("{} size {}", $name, size_of::<$t>());
        $( println!("{}.{} {}", $name, stringify!($field), offset_of!($t, $field)); )*
    }};
}

#[inline(never)]
fn use_all(v: &[&dyn core::any::Any]) -> usize { v.len() }

fn main() {
    layout!("Plain", Plain, a, b, c);
    layout!("Tuple", Tuple, 0, 1, 2);
    layout!("Generic<u8>", Generic<u8>, value, count);
    layout!("Generic<u64>", Generic<u64>, value, count);
    layout!("Fieldless", Fieldless);
    layout!("Signed", Signed);
    layout!("WithData", WithData);
    layout!("Niche", Niche);
    layout!("Wide", Wide);
    layout!("Small", Small);
    layout!("HasZst", HasZst, a, z, p, unit, b);
    layout!("Scalars", Scalars, c, i, u, f, d, t, s);
    layout!("Fat", Fat<'static>, s, sl, d, b);
    layout!("Nested", Nested, inner, arr, tuple, opt);
    layout!("ReprC", ReprC, a, b, c);
    layout!("Packed", Packed, a, b, c);
    layout!("Aligned", Aligned, a, b);
    layout!("Union", Union, a, b, c);
    layout!("int", int, signed, int, long, default, register, auto, volatile, char, union, linux, unix, i386,
            r#typeof, inline, restrict, _Bool, _Atomic, signed_, bool, static_assert);
    layout!("unsigned", unsigned);
    layout!("linux", linux, unix, inner);
    let k = 7u32;
    let closure = move || k + 1;
    let c = Closures { f: closure, n: 1 };
    // Keep every type alive in the binary's DWARF.
    static FORTY_TWO: u32 = 42;
    let values: Vec<Box<dyn core::any::Any>> = vec![
        Box::new(Plain { a: 1, b: 2, c: 3 }), Box::new(Tuple(1, 2, 3)), Box::new(Generic { value: 1u8, count: 2 }),
        Box::new(Generic { value: 1u64, count: 2 }), Box::new(Fieldless::B), Box::new(Signed::Neg),
        Box::new(WithData::Two { x: 1, y: 2 }), Box::new(WithData::One(3)), Box::new(WithData::Empty),
        Box::new(Niche::Ref(&FORTY_TWO)), Box::new(Niche::Nothing), Box::new(Wide::Y), Box::new(Small::Q),
        Box::new(HasZst { a: 1, z: Zst, p: PhantomData, unit: (), b: 2 }),
        Box::new(linux { unix: unsigned::register, inner: int { signed: 1, int: 2, long: 3, default: 4, register: 5,
            auto: 6, volatile: 7, char: 8, union: 9, linux: 10, unix: 11, i386: 12, r#typeof: 13, inline: 14,
            restrict: 15, _Bool: 16, _Atomic: 17, signed_: 18, bool: true, static_assert: 19 } }),
        Box::new(Scalars { c: 'x', i: -1, u: 1, f: 1.0, d: 2.0, t: true, s: -2 }),
        Box::new(Nested { inner: Plain { a: 1, b: 2, c: 3 }, arr: [1; 5], tuple: (1, 2), opt: Some(3) }),
        Box::new(ReprC { a: 1, b: 2, c: 3 }), Box::new(Packed { a: 1, b: 2, c: 3 }), Box::new(Aligned { a: 1, b: [2; 3] }),
        Box::new(Union { a: 1 }),
    ];
    let refs: Vec<&dyn core::any::Any> = values.iter().map(|b| b.as_ref()).collect();
    let fat = Fat { s: "s", sl: &[1, 2], d: &|x| x + 1, b: vec![1u8].into_boxed_slice() };
    std::hint::black_box(&fat);
    std::hint::black_box(&c);
    let tail: &Tail = unsafe { &*(core::ptr::slice_from_raw_parts(&[0usize, 0usize] as *const usize, 0) as *const Tail) };
    std::hint::black_box(tail);
    std::process::exit(if use_all(&refs) > 0 { 0 } else { 1 });
}
