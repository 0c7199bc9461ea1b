//! Console input, one line at a time, whatever arrives: a line that is not UTF-8 text or is
//! absurdly long is reported as such and skipped, so the session goes on; only the input ending (or
//! failing) ends it.

use std::fmt;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

use crate::core::command::MAX_ANSWER_CHARS;

/// The longest line read, in bytes. An answer is at most [`MAX_ANSWER_CHARS`] characters, so every
/// real command fits many times over; a longer line is skipped without being held in memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Why a line of input was skipped; Display is the polite sentence the console shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkippedLine {
    /// The line was not UTF-8 text.
    NotUtf8,
    /// The line was longer than [`MAX_LINE_BYTES`].
    TooLong,
}

impl fmt::Display for SkippedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkippedLine::NotUtf8 => f.write_str(
                "That line is not UTF-8 text, so I skipped it. Please type it again, or save piped \
                 input as UTF-8.",
            ),
            SkippedLine::TooLong => write!(
                f,
                "That line is longer than {} KiB, so I skipped it. An answer is at most {} \
                 characters.",
                MAX_LINE_BYTES / 1024,
                MAX_ANSWER_CHARS
            ),
        }
    }
}

/// Reads the next line's text (without its line ending) or why it was skipped; None when the input
/// has ended.
pub async fn read_line(
    input: &mut (impl AsyncBufRead + Unpin),
) -> std::io::Result<Option<Result<String, SkippedLine>>> {
    let mut bytes = Vec::new();
    let read = (&mut *input)
        .take(MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', &mut bytes)
        .await?;
    if read == 0 {
        return Ok(None);
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    } else if bytes.len() > MAX_LINE_BYTES {
        skip_rest_of_line(input).await?;
        return Ok(Some(Err(SkippedLine::TooLong)));
    }
    Ok(Some(
        String::from_utf8(bytes).map_err(|_| SkippedLine::NotUtf8),
    ))
}

async fn skip_rest_of_line(input: &mut (impl AsyncBufRead + Unpin)) -> std::io::Result<()> {
    loop {
        let buffer = input.fill_buf().await?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|b| *b == b'\n') {
            Some(end) => {
                input.consume(end + 1);
                return Ok(());
            }
            None => {
                let all = buffer.len();
                input.consume(all);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type InputLine = Result<String, SkippedLine>;

    async fn lines_of(bytes: &[u8]) -> Vec<InputLine> {
        let mut input = bytes;
        let mut lines = Vec::new();
        while let Some(line) = read_line(&mut input).await.expect("reading a slice") {
            lines.push(line);
        }
        lines
    }

    fn text(line: &str) -> InputLine {
        Ok(line.to_string())
    }

    #[tokio::test]
    async fn lines_end_at_newlines_with_or_without_a_carriage_return() {
        assert_eq!(
            lines_of(b"/hint\r\n/reveal\n/clock").await,
            [text("/hint"), text("/reveal"), text("/clock")]
        );
    }

    #[tokio::test]
    async fn a_line_that_is_not_utf8_is_skipped_and_the_next_one_read() {
        assert_eq!(
            lines_of(b"/answer caf\xe9\n/hint\n").await,
            [Err(SkippedLine::NotUtf8), text("/hint")]
        );
    }

    #[tokio::test]
    async fn a_line_longer_than_the_limit_is_skipped_whole() {
        let mut input = vec![b'x'; MAX_LINE_BYTES * 3];
        input.extend_from_slice(b"\n/hint\n");
        assert_eq!(
            lines_of(&input).await,
            [Err(SkippedLine::TooLong), text("/hint")]
        );
        let mut exactly = vec![b'x'; MAX_LINE_BYTES];
        exactly.push(b'\n');
        assert_eq!(
            lines_of(&exactly).await,
            [text(&"x".repeat(MAX_LINE_BYTES))]
        );
    }
}
