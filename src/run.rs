//! The commands: arguments in, output and an exit status out.

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::report::{PlanReport, clock};
use crate::voice::{BUILT_IN, Preset};
use crate::{config, pipeline};

pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Build(args) => {
            let settings = config::build_settings(args).map_err(|e| e.to_string())?;
            let quiet = settings.progress == crate::progress::Mode::Quiet;
            let summary = pipeline::build(&settings).map_err(|e| e.to_string())?;
            if !quiet {
                eprintln!(
                    "wrote {} chapters ({} of audio, {} utterances) to {} in {:.1} s; voice {} ({})",
                    summary.chapters_written,
                    clock(summary.audio_seconds),
                    summary.utterances,
                    summary.out_dir.display(),
                    summary.wall.as_secs_f64(),
                    summary.voice,
                    summary.engine
                );
            }
            Ok(())
        }
        Command::Plan(args) => {
            let voice = args.input.voice.as_deref().map(Preset::find).transpose().map_err(|e| e.to_string())?;
            let pipeline::Loaded { article, plan, preset, settings, .. } =
                pipeline::load(&args.input.article, args.input.encoding.as_deref(), voice.as_ref())
                    .map_err(|e| e.to_string())?;
            let report = PlanReport::new(&article, &plan, &preset, &settings);
            for w in &article.warnings {
                eprintln!("warning: {}:{}: {}", args.input.article.display(), w.line, w.message);
            }
            print!("{}", if args.json { report.to_json() } else { report.to_text() });
            Ok(())
        }
        Command::Voices => {
            let width = BUILT_IN.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
            for (name, _) in BUILT_IN {
                let p = Preset::find(name).map_err(|e| e.to_string())?;
                println!("{name:<width$} {}", p.description);
            }
            Ok(())
        }
    }
}
