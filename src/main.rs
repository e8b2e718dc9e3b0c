fn main() {
    std::process::exit(dangjian::cli::run(std::env::args_os()));
}
