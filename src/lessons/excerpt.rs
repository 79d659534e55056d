//! The lines of the post's code that build one tap, laid out for a projector: classroom mode
//! shows them beside the tap's maps, in a box too narrow for the post's long lines. Each line
//! carries its structure (its indent under the excerpt's least indented line, whether it
//! continues the statement above, whether lines were left out before it) so that the page can
//! wrap long lines under themselves without losing what is nested in what.

use super::code::CodeLine;
use super::in_stop;

/// Characters a line continuing the statement above (inside its brackets) starts further in
/// than the statement. The post aligns such lines with the bracket they are in, often 20 or
/// more characters in, which a narrow box cannot spare.
pub const CONTINUATION_INDENT: usize = 8;

/// One line of an excerpt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExcerptLine {
    /// The line without its leading spaces.
    pub text: String,
    /// Its indent in characters: as in the post for a statement (less the excerpt's least
    /// indented statement's), the statement's plus [`CONTINUATION_INDENT`] for a continuation.
    pub indent: usize,
    /// It continues the statement on the line above (an open bracket spans the break).
    pub continues: bool,
    /// Lines of the post were left out between it and the excerpt's previous line.
    pub after_gap: bool,
}

/// The lines that build `tap` or one of its parts (`b3.inception1.branch2` for `b3.inception1`),
/// in the post's order.
pub fn code_excerpt(code: &[CodeLine], tap: &str) -> Vec<ExcerptLine> {
    let builds = |line: &CodeLine| line.taps.iter().any(|name| in_stop(name, tap));
    let mut excerpt: Vec<ExcerptLine> = Vec::new();
    let (mut open_brackets, mut statement_indent, mut previous) = (0_usize, 0, None);
    for (index, line) in code.iter().enumerate().filter(|(_, line)| builds(line)) {
        let after_gap = previous.is_some_and(|previous| previous + 1 != index);
        if after_gap {
            // What opened a bracket may be among the lines left out.
            open_brackets = 0;
        }
        let text = line.text.trim_start();
        let continues = open_brackets > 0;
        let indent = if continues {
            statement_indent + CONTINUATION_INDENT
        } else {
            statement_indent = line.text.len() - text.len();
            statement_indent
        };
        open_brackets =
            (open_brackets + count_of(text, "([{")).saturating_sub(count_of(text, ")]}"));
        excerpt.push(ExcerptLine {
            text: text.to_string(),
            indent,
            continues,
            after_gap,
        });
        previous = Some(index);
    }
    let least = excerpt
        .iter()
        .filter(|line| !line.continues)
        .map(|line| line.indent)
        .min()
        .unwrap_or(0);
    for line in &mut excerpt {
        line.indent -= least;
    }
    excerpt
}

/// How many of `text`'s characters are among `wanted`.
fn count_of(text: &str, wanted: &str) -> usize {
    text.chars().filter(|c| wanted.contains(*c)).count()
}
