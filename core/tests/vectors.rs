//! Runs the shared wire vectors (`tests/vectors/*.json`, format in `tests/vectors/README.md`) at
//! every split point of their input, one byte at a time, and in one piece. The Python and JS test
//! suites run the same files through the bindings.

mod support;

use std::path::Path;
use support::{check, latin1, load_cases};

#[test]
fn wire_vectors_at_every_split() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let cases = load_cases(&dir);
    assert!(cases.len() >= 50, "only {} vectors", cases.len());
    let mut failures = vec![];
    let mut runs = 0;
    for (file, case) in &cases {
        let len = latin1(case["input"].as_str().unwrap()).len();
        let mut splits: Vec<Vec<usize>> = vec![vec![], (1..len).collect()];
        splits.extend((0..=len).map(|cut| vec![cut]));
        // the first failing split of each case is enough to show
        let before = failures.len();
        for cuts in &splits {
            check(file, case, cuts, &mut failures);
            runs += 1;
            if failures.len() > before {
                break;
            }
        }
    }
    if !failures.is_empty() {
        let n = failures.len();
        failures.truncate(60);
        panic!("{n} failures (first 60):\n{}", failures.join("\n"));
    }
    println!("{} vectors, {runs} runs", cases.len());
}
