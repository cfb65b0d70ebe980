use clap::Parser;

fn main() -> std::process::ExitCode {
    seedaudio::app::run(seedaudio::app::cli::Cli::parse())
}
