use clap::Parser;

fn main() -> std::process::ExitCode {
    seedaudio::run::run(seedaudio::cli::Cli::parse())
}
