fn main() {
    println!("newsgraph");
}
