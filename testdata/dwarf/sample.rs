// DWARF fixture from rustc: enums with data, niches, generics, slices, trait objects.
#![allow(dead_code)]

pub enum Shape { Circle(f64), Rect { w: u32, h: u32 }, Empty }

pub struct Wrapper<T> { pub value: T, pub count: usize }

pub trait Area { fn area(&self) -> f64; }

impl Area for Shape {
    fn area(&self) -> f64 {
        match self { Shape::Circle(r) => 3.14 * r * r, Shape::Rect { w, h } => (*w * *h) as f64, Shape::Empty => 0.0 }
    }
}

#[no_mangle]
pub fn sample_total(shapes: &[Shape], names: &str, w: Wrapper<Option<u32>>, dynamic: &dyn Area) -> f64 {
    let extra = w.value.unwrap_or(0) as f64 + names.len() as f64 + w.count as f64;
    shapes.iter().map(|s| s.area()).sum::<f64>() + extra + dynamic.area()
}

pub static TABLE: [char; 3] = ['a', 'β', '∑'];
