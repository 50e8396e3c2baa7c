// Rust half of the mixed C/Rust example (no_std, so the linked program stays small): enums with
// data and a niche, Option, &str, a trait object, a generic struct, char, u128, and functions
// exported to C that take the C structs.
#![no_std]
#![allow(dead_code)]
use core::sync::atomic::{AtomicU64, Ordering};

#[repr(C)]
pub struct Point { pub x: i32, pub y: i32 }

#[repr(C)]
pub struct ShapeStats { pub count: u64, pub last: Point, pub area: f64 }

pub enum Shape {
    Circle { r: i32 },
    Rect { w: i32, h: i32 },
    Named(Option<&'static str>, char),
}

pub struct Cache<T> { items: [T; 4], hits: u64, wide: u128 }

trait Area { fn area(&self) -> f64; }
impl Area for Shape {
    fn area(&self) -> f64 {
        match self {
            Shape::Circle { r } => 3.0 * (*r as f64) * (*r as f64),
            Shape::Rect { w, h } => (*w as f64) * (*h as f64),
            Shape::Named(_, _) => 0.0,
        }
    }
}

static CALLS: AtomicU64 = AtomicU64::new(0);
static mut SHAPES: [Shape; 3] = [Shape::Circle { r: 0 }, Shape::Rect { w: 0, h: 0 }, Shape::Named(None, 'x')];

extern "C" { fn c_scale(p: *const Point, factor: i32) -> i32; }

#[no_mangle]
pub extern "C" fn rust_make_shape(kind: i32, a: i32, b: i32) -> *mut Shape {
    let s = match kind {
        0 => Shape::Circle { r: a },
        1 => Shape::Rect { w: a, h: b },
        _ => Shape::Named(Some("n"), 'λ'),
    };
    let i = (kind.rem_euclid(3)) as usize;
    unsafe {
        let slot = &mut *core::ptr::addr_of_mut!(SHAPES[i]);
        *slot = s;
        slot as *mut Shape
    }
}

#[no_mangle]
pub extern "C" fn rust_shape_kind(s: *const Shape) -> u32 {
    match unsafe { &*s } { Shape::Circle { .. } => 0, Shape::Rect { .. } => 1, Shape::Named(..) => 2 }
}

#[no_mangle]
pub extern "C" fn rust_area(s: *const Shape, stats: *mut ShapeStats) -> f64 {
    let shape: &dyn Area = unsafe { &*s };
    let st = unsafe { &mut *stats };
    st.count = CALLS.fetch_add(1, Ordering::Relaxed) + 1;
    st.last = Point { x: 1, y: 2 };
    let scale = unsafe { c_scale(&st.last, 2) } as f64;
    let cache = Cache::<f64> { items: [shape.area(), 0.0, 0.0, 0.0], hits: 0, wide: st.count as u128 };
    st.area = cache.items[0] * scale + (cache.wide as f64) * 0.0;
    st.area
}

#[no_mangle]
pub extern "C" fn rust_free_shape(_s: *mut Shape) {}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
