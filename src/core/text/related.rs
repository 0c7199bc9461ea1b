//! Related words: for a word's stem, the stems of its synonyms and derived forms, from the list in
//! `data/related-words.txt` (derived from WordNet 3.0 by `tools/derive_related_words.py`; frequent
//! senses only). Shipped inside the binary and indexed on first use; nothing is read at run time.

use std::sync::OnceLock;

const RELATED_WORDS: &str = include_str!("../../../data/related-words.txt");

/// The stems related to `stem` (none for a stem the list does not know).
pub fn related_stems(stem: &str) -> &'static [&'static str] {
    let index = index();
    match index.keys.binary_search_by(|(key, _)| (*key).cmp(stem)) {
        Ok(i) => {
            let (start, end) = index.keys[i].1;
            &index.related[start as usize..end as usize]
        }
        Err(_) => &[],
    }
}

/// The list's keys, sorted, each with its range of related stems in one shared array.
struct Index {
    keys: Vec<(&'static str, (u32, u32))>,
    related: Vec<&'static str>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut lines: Vec<(&str, &str)> = RELATED_WORDS
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split_once('\t'))
            .collect();
        lines.sort_unstable_by_key(|(key, _)| *key);
        lines.dedup_by_key(|(key, _)| *key);
        let mut index = Index {
            keys: Vec::with_capacity(lines.len()),
            related: Vec::with_capacity(lines.len() * 4),
        };
        for (key, related) in lines {
            let start = index.related.len() as u32;
            index
                .related
                .extend(related.split(' ').filter(|s| !s.is_empty()));
            index.keys.push((key, (start, index.related.len() as u32)));
        }
        index
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stem_lists_its_synonyms_and_an_unknown_stem_lists_nothing() {
        assert!(related_stems("error").contains(&"mistak"));
        assert!(related_stems("mistak").contains(&"error"));
        assert!(related_stems("selectrelated").is_empty());
        assert!(related_stems("").is_empty());
    }

    #[test]
    fn every_line_of_the_list_is_a_stem_and_its_related_stems() {
        for line in RELATED_WORDS.lines().filter(|l| !l.starts_with('#')) {
            let (key, related) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("no tab in {line:?}"));
            assert!(key.bytes().all(|b| b.is_ascii_lowercase()), "{line:?}");
            assert!(!related.is_empty(), "{line:?}");
            assert!(
                related.split(' ').all(|s| s != key && s.len() >= 3),
                "{line:?}"
            );
        }
    }
}
