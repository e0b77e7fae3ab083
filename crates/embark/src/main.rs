#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    embark::cli::main()
}
