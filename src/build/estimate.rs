//! What a build will send and cost: characters to synthesize, how many utterances are
//! cached already, and — where the preset gives a price — the cost of the rest.

use std::collections::HashSet;

use serde::Serialize;

use crate::backend::preset::Preset;
use crate::build::settings::BuildError;
use crate::plan::Plan;
use crate::synth::{Request, Synthesizer};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Distinct texts to send (a repeated text is sent once).
    pub requests: usize,
    /// Characters in those texts.
    pub characters: usize,
    /// How many of the requests are cached; `None` when the cache could not be asked (no
    /// cache, or the voice could not be set up, e.g. its key is not set).
    pub cached: Option<usize>,
    /// Characters still to synthesize.
    pub uncached_characters: usize,
    pub price_per_million_chars: Option<f64>,
    pub currency: String,
    /// The cost of the uncached characters.
    pub cost: Option<f64>,
}

/// Refuses a build whose uncached part would cost more than `max_cost` (`--max-cost`), or
/// whose voice `voice` has no price to tell.
pub fn within_budget(estimate: &Estimate, max_cost: Option<f64>, voice: &str) -> Result<(), BuildError> {
    let Some(max) = max_cost else { return Ok(()) };
    match estimate.cost {
        Some(cost) if cost > max => Err(BuildError::TooExpensive(format!(
            "the uncached part would cost about {cost:.4} {}, above --max-cost {max}; {}",
            estimate.currency,
            estimate.describe()
        ))),
        Some(_) => Ok(()),
        None => Err(BuildError::TooExpensive(format!(
            "--max-cost needs a price: voice {voice} has no price_per_million_chars"
        ))),
    }
}

pub fn estimate(plan: &Plan, preset: &Preset, synth: Option<&Synthesizer>) -> Estimate {
    let mut seen = HashSet::new();
    let (mut requests, mut characters, mut cached, mut uncached_characters) = (0, 0, 0, 0);
    for (_, u) in plan.utterances().filter(|(_, u)| u.spoken) {
        let request = match synth {
            Some(s) => s.primary.request(u),
            None => Request::text(&u.say),
        };
        let chars = request.chars();
        if !seen.insert(request) {
            continue;
        }
        requests += 1;
        characters += chars;
        if synth.is_some_and(|s| s.is_cached(u)) {
            cached += 1;
        } else {
            uncached_characters += chars;
        }
    }
    let price = preset.price_per_million_chars;
    Estimate {
        requests,
        characters,
        cached: synth.filter(|s| s.has_cache()).map(|_| cached),
        uncached_characters,
        price_per_million_chars: price,
        currency: preset.currency.clone().unwrap_or_else(|| "USD".into()),
        cost: price.map(|p| (uncached_characters as f64 * p / 1e6 * 10_000.0).round() / 10_000.0),
    }
}

impl Estimate {
    /// One line for people.
    pub fn describe(&self) -> String {
        let cached = match self.cached {
            Some(n) => format!("{n} of {} cached", self.requests),
            None => "cache not checked".into(),
        };
        let cost = match self.cost {
            Some(c) => format!(", estimated cost {c:.4} {} for the uncached part", self.currency),
            None => String::new(),
        };
        format!(
            "to synthesize: {} requests, {} characters ({cached}; {} characters uncached){cost}",
            self.requests, self.characters, self.uncached_characters
        )
    }
}
