//! Wall time per phase of a command, for `--timings`: where a build's time goes, measured on
//! the user's own catalog. Printed to standard error only, so output stays byte-identical.

use std::time::{Duration, Instant};

/// Phases timed so far, and when the current one started.
#[derive(Debug, Clone)]
pub struct Timings {
    phases: Vec<(&'static str, Duration)>,
    started: Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            phases: Vec::new(),
            started: Instant::now(),
        }
    }
}

impl Timings {
    /// Ends the current phase under `name` and starts the next.
    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.started));
        self.started = now;
    }

    /// The phases in order, with their share of the total, as Chinese text.
    pub fn render(&self) -> String {
        let total: Duration = self.phases.iter().map(|(_, d)| *d).sum();
        let mut out = String::from("各阶段用时：\n");
        for (name, d) in &self.phases {
            let share = if total.is_zero() {
                0.0
            } else {
                d.as_secs_f64() / total.as_secs_f64() * 100.0
            };
            out.push_str(&format!(
                "  {name:<12}{:>8.3} 秒  {share:>5.1}%\n",
                d.as_secs_f64()
            ));
        }
        out.push_str(&format!(
            "  {:<12}{:>8.3} 秒\n",
            "合计",
            total.as_secs_f64()
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_listed_in_order_with_a_total() {
        let mut t = Timings::default();
        t.lap("读取");
        t.lap("生成");
        let text = t.render();
        assert!(text.find("读取").expect("读取") < text.find("生成").expect("生成"));
        assert!(text.contains("合计"));
    }
}
