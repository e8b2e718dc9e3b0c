//! "Did you mean …?" for misspelt field names and ids.

/// The candidate closest to `word` by edit distance, when it is close enough to be a
/// plausible misspelling (at most a third of the word's length, and at least one edit).
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = word.chars().count();
    let limit = (len / 3).max(1) + usize::from(len >= 8);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A hint naming the nearest candidate, or listing the valid names when there are few.
pub fn hint<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let iter = candidates.into_iter();
    if let Some(best) = nearest(word, iter.clone()) {
        return Some(format!("是否应为 `{best}`？"));
    }
    let all: Vec<&str> = iter.collect();
    if all.is_empty() {
        None
    } else if all.len() <= 12 {
        Some(format!(
            "可用的有：{}",
            all.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join("、")
        ))
    } else {
        None
    }
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), by chars.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_misspellings() {
        let fields = ["name", "category", "members", "meetings"];
        assert_eq!(nearest("catgory", fields), Some("category"));
        assert_eq!(nearest("memebrs", fields), Some("members"));
        assert_eq!(nearest("zzzzzz", fields), None);
        assert_eq!(distance("abc", "acb"), 1);
        assert_eq!(distance("", "ab"), 2);
        // By characters, not bytes: one Han character is one edit.
        assert_eq!(distance("社区", "社团"), 1);
        assert_eq!(distance("ca", "abc"), 3);
    }

    #[test]
    fn hint_lists_few_candidates() {
        assert_eq!(
            hint("qqqqqqq", ["a", "b"]).as_deref(),
            Some("可用的有：`a`、`b`")
        );
        assert_eq!(hint("nmae", ["name"]).as_deref(), Some("是否应为 `name`？"));
    }
}
