//! Paged lists read as streams of pages or of items, paged as the spec declares
//! it (`x-pagination`): by offset and limit (parameter names, the items and
//! count fields, whether the offset counts items or pages and where it starts)
//! or by marker (a cursor: the id to start after, from a field of the reply or
//! of the page's last item).
//!
//! Offset paging stops at an empty page, when the count the service reports is
//! reached, or (without a count) at a page shorter than the limit. A page that
//! comes back empty while the count says more items exist is an
//! [`Error::Pagination`], not a silent end.
//!
//! Marker paging stops at an empty page, when the next marker is absent or
//! empty, and, where the marker is the last item's, at a page shorter than the
//! limit. A next marker equal to the one just sent is an [`Error::Pagination`]:
//! asking again would repeat the page forever.
//!
//! The rules live in one non-generic state machine; the generic part, one per
//! list, only fetches pages and reads the few values the rules need.

use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::Error;
use crate::client::BoxFuture;
use crate::error::PaginationError;

/// How an operation pages (generated from `x-pagination`).
#[derive(Debug)]
pub struct PageSpec {
    /// The list operation (its `operationId`).
    pub operation: &'static str,
    /// The offset of the first page (0, or 1 for lists that start at 1).
    pub start: u64,
    /// Whether the offset counts items (`true`) or pages.
    pub counts_items: bool,
    /// The page size used when the caller sets none.
    pub limit: u64,
}

/// How an operation pages by marker (generated from `x-pagination` with
/// `marker`).
#[derive(Debug)]
pub struct MarkerSpec {
    /// The list operation (its `operationId`).
    pub operation: &'static str,
    /// The page size used when the caller sets none; `None` where the list
    /// takes no page size.
    pub limit: Option<u64>,
    /// Whether the next marker is a field of the page's last item (then a page
    /// shorter than the limit is the last); otherwise the reply gives it.
    pub last_item: bool,
}

/// A marker a reply or an item holds (a string or an integer field).
pub trait Cursor {
    /// The marker as the text sent in the query, if the value holds one.
    fn cursor(&self) -> Option<String>;
}

macro_rules! cursor_int {
    ($($t:ty),*) => {$(
        impl Cursor for $t {
            fn cursor(&self) -> Option<String> {
                Some(self.to_string())
            }
        }
    )*};
}
cursor_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl Cursor for String {
    fn cursor(&self) -> Option<String> {
        Some(self.clone())
    }
}

impl<T: Cursor> Cursor for Option<T> {
    fn cursor(&self) -> Option<String> {
        self.as_ref().and_then(Cursor::cursor)
    }
}

/// A count a reply reports (`total`, `total_count`; some services send it as a
/// string).
pub trait Count {
    /// The count, if the value holds one.
    fn count(&self) -> Option<u64>;
}

macro_rules! count_int {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn count(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}
count_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl Count for String {
    fn count(&self) -> Option<u64> {
        self.trim().parse().ok()
    }
}

impl<T: Count> Count for Option<T> {
    fn count(&self) -> Option<u64> {
        self.as_ref().and_then(Count::count)
    }
}

/// What the next page is asked for with.
#[derive(Clone, Copy, Debug)]
struct At<'a> {
    offset: u64,
    marker: Option<&'a str>,
    limit: u64,
}

/// Starts fetching a page; `None` when the marker cannot be sent in the
/// parameter's type (a marker that is not a number for an integer parameter).
type Fetch<P> = Box<dyn FnMut(At<'_>) -> Option<BoxFuture<Result<P, Error>>> + Send>;

/// Where a list is.
#[derive(Debug)]
enum Position {
    Offset {
        spec: &'static PageSpec,
        offset: u64,
        /// Items before the caller's first offset (counted against the total).
        skipped: u64,
    },
    Marker {
        spec: &'static MarkerSpec,
        /// The marker of the next page (`None`: the first page, without one).
        marker: Option<String>,
    },
}

/// The paging rules, apart from the page type: what to ask for next and
/// whether a page ends the list.
#[derive(Debug)]
struct State {
    position: Position,
    /// The page size (0: a list paged by marker that takes none).
    limit: u64,
    seen: u64,
    done: bool,
    /// An error to end the list with at the next read (after the page that
    /// showed it).
    failure: Option<Error>,
}

impl State {
    fn operation(&self) -> &'static str {
        match self.position {
            Position::Offset { spec, .. } => spec.operation,
            Position::Marker { spec, .. } => spec.operation,
        }
    }

    /// Whether to fetch another page: `Ok(false)` after the last, an error the
    /// list ends with.
    fn more(&mut self) -> Result<bool, Error> {
        if let Some(e) = self.failure.take() {
            self.done = true;
            return Err(e);
        }
        Ok(!self.done)
    }

    fn at(&self) -> At<'_> {
        match &self.position {
            Position::Offset { offset, .. } => At {
                offset: *offset,
                marker: None,
                limit: self.limit,
            },
            Position::Marker { marker, .. } => At {
                offset: 0,
                marker: marker.as_deref(),
                limit: self.limit,
            },
        }
    }

    /// The list ends with a page that failed.
    fn failed(&mut self) {
        self.done = true;
    }

    /// The marker could not be sent (see [`Fetch`]).
    fn unsendable(&mut self) -> Error {
        self.done = true;
        let marker = self.at().marker.map(str::to_owned);
        self.inconsistent(
            None,
            marker,
            "the next marker is not a value the list's marker parameter takes".to_owned(),
        )
    }

    /// Takes in a page of `n` items that reports `total` items in all and
    /// `next` as the next marker: whether to hand it on (`false`: the list has
    /// ended before it, with nothing in it).
    fn advance(&mut self, n: u64, total: Option<u64>, next: Option<String>) -> Result<bool, Error> {
        let limit = self.limit;
        match &mut self.position {
            Position::Offset {
                spec,
                offset,
                skipped,
            } => {
                let (counts_items, before) = (spec.counts_items, *skipped + self.seen);
                if n == 0 {
                    self.done = true;
                    if let Some(total) = total.filter(|t| before < *t) {
                        return Err(self.inconsistent(
                            Some(total),
                            None,
                            format!(
                                "the service counts {total} item(s) but returned an empty page after {before}"
                            ),
                        ));
                    }
                    return Ok(false);
                }
                *offset += if counts_items { n } else { 1 };
                self.seen += n;
                self.done = match total {
                    Some(total) => before + n >= total,
                    // Without a count, a short page is the last one.
                    None => n < limit,
                };
                Ok(true)
            }
            Position::Marker { spec, marker } => {
                if n == 0 {
                    self.done = true;
                    return Ok(false);
                }
                self.seen += n;
                let next = next.filter(|m| !m.is_empty());
                if spec.last_item && limit > 0 && n < limit {
                    // The last item's marker is always there: a short page ends.
                    self.done = true;
                } else if let Some(next) = next {
                    if marker.as_deref() == Some(next.as_str()) {
                        let message = "the service gave the marker just sent as the next one \
                                       (asking again would repeat the page forever)"
                            .to_owned();
                        self.failure = Some(self.inconsistent(None, Some(next), message));
                    } else {
                        *marker = Some(next);
                    }
                } else {
                    self.done = true;
                }
                Ok(true)
            }
        }
    }

    fn inconsistent(&self, total: Option<u64>, marker: Option<String>, message: String) -> Error {
        let offset = match self.position {
            Position::Offset { offset, .. } => offset,
            Position::Marker { .. } => 0,
        };
        Error::Pagination(Box::new(PaginationError {
            operation: self.operation(),
            offset,
            seen: self.seen,
            total,
            marker,
            message,
        }))
    }
}

/// The pages of a list, fetched one at a time as they are read.
#[must_use = "pages are fetched only when read"]
pub struct Pages<P> {
    fetch: Fetch<P>,
    len: fn(&P) -> usize,
    total: fn(&P) -> Option<u64>,
    next: fn(&P) -> Option<String>,
    state: State,
    pending: Option<BoxFuture<Result<P, Error>>>,
}

impl<P> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Pages");
        d.field("operation", &self.state.operation());
        match &self.state.position {
            Position::Offset { offset, .. } => d.field("offset", offset),
            Position::Marker { marker, .. } => d.field("marker", marker),
        };
        d.field("limit", &self.state.limit)
            .field("seen", &self.state.seen)
            .field("done", &self.state.done)
            .finish_non_exhaustive()
    }
}

impl<P: Send + 'static> Pages<P> {
    /// The pages of `spec`'s list: `fetch(offset, limit)` gets one; `len` counts
    /// a page's items and `total` reads the count it reports. `offset` and
    /// `limit` are the caller's, if set.
    pub fn new<F, Fut>(
        spec: &'static PageSpec,
        offset: Option<u64>,
        limit: Option<u64>,
        mut fetch: F,
        len: fn(&P) -> usize,
        total: fn(&P) -> Option<u64>,
    ) -> Self
    where
        F: FnMut(u64, u64) -> Fut + Send + 'static,
        Fut: Future<Output = Result<P, Error>> + Send + 'static,
    {
        let offset = offset.unwrap_or(spec.start).max(spec.start);
        let limit = limit.filter(|l| *l > 0).unwrap_or(spec.limit).max(1);
        let pages_skipped = offset - spec.start;
        let skipped = if spec.counts_items {
            pages_skipped
        } else {
            pages_skipped.saturating_mul(limit)
        };
        Pages {
            fetch: Box::new(move |at| Some(Box::pin(fetch(at.offset, at.limit)))),
            len,
            total,
            next: |_| None,
            state: State {
                position: Position::Offset {
                    spec,
                    offset,
                    skipped,
                },
                limit,
                seen: 0,
                done: false,
                failure: None,
            },
            pending: None,
        }
    }

    /// The pages of `spec`'s list, paged by marker: `fetch(marker, limit)`
    /// gets one (`None` when `marker` does not fit the parameter's type, which
    /// ends the list with an [`Error::Pagination`]); `len` counts a page's
    /// items and `next` reads its next marker. `marker` and `limit` are the
    /// caller's, if set: paging starts from the caller's marker, else without
    /// one.
    pub fn by_marker<F, Fut>(
        spec: &'static MarkerSpec,
        marker: Option<String>,
        limit: Option<u64>,
        mut fetch: F,
        len: fn(&P) -> usize,
        next: fn(&P) -> Option<String>,
    ) -> Self
    where
        F: FnMut(Option<&str>, u64) -> Option<Fut> + Send + 'static,
        Fut: Future<Output = Result<P, Error>> + Send + 'static,
    {
        let limit = match spec.limit {
            Some(default) => limit.filter(|l| *l > 0).unwrap_or(default).max(1),
            None => 0,
        };
        Pages {
            fetch: Box::new(move |at| {
                fetch(at.marker, at.limit).map(|f| Box::pin(f) as BoxFuture<Result<P, Error>>)
            }),
            len,
            total: |_| None,
            next,
            state: State {
                position: Position::Marker { spec, marker },
                limit,
                seen: 0,
                done: false,
                failure: None,
            },
            pending: None,
        }
    }

    /// The next page, or `None` after the last.
    pub async fn next(&mut self) -> Option<Result<P, Error>> {
        poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Every remaining page.
    ///
    /// # Errors
    /// The first error of a page.
    pub async fn collect(mut self) -> Result<Vec<P>, Error> {
        let mut out = Vec::new();
        while let Some(page) = self.next().await {
            out.push(page?);
        }
        Ok(out)
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<P, Error>>> {
        if self.pending.is_none() {
            match self.state.more() {
                Ok(true) => {}
                Ok(false) => return Poll::Ready(None),
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
            match (self.fetch)(self.state.at()) {
                Some(future) => self.pending = Some(future),
                None => return Poll::Ready(Some(Err(self.state.unsendable()))),
            }
        }
        let Some(future) = self.pending.as_mut() else {
            return Poll::Pending;
        };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        self.pending = None;
        let page = match result {
            Ok(page) => page,
            Err(e) => {
                // A failing page ends the list with its error, never silently.
                self.state.failed();
                return Poll::Ready(Some(Err(e)));
            }
        };
        let n = (self.len)(&page) as u64;
        match self
            .state
            .advance(n, (self.total)(&page), (self.next)(&page))
        {
            Ok(true) => Poll::Ready(Some(Ok(page))),
            Ok(false) => Poll::Ready(None),
            Err(e) => Poll::Ready(Some(Err(e))),
        }
    }

    /// The items of every page, one at a time.
    pub fn items<I>(self, take: fn(&mut P) -> Vec<I>) -> Items<P, I> {
        Items {
            pages: self,
            take,
            buffer: VecDeque::new(),
        }
    }
}

impl<P: Send + 'static> futures_core::Stream for Pages<P> {
    type Item = Result<P, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of a paged list, pages fetched as needed.
#[must_use = "items are fetched only when read"]
pub struct Items<P, I> {
    pages: Pages<P>,
    take: fn(&mut P) -> Vec<I>,
    buffer: VecDeque<I>,
}

impl<P, I> fmt::Debug for Items<P, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<P: Send + 'static, I> Items<P, I> {
    /// The next item, or `None` after the last.
    pub async fn next(&mut self) -> Option<Result<I, Error>> {
        poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every remaining item.
    ///
    /// # Errors
    /// The first error of a page.
    pub async fn collect(mut self) -> Result<Vec<I>, Error> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<I, Error>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(mut page))) => self.buffer.extend((self.take)(&mut page)),
            }
        }
    }
}

impl<P: Send + 'static, I: Unpin> futures_core::Stream for Items<P, I> {
    type Item = Result<I, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::task::Waker;

    use super::*;

    /// A page of a scripted list: item ids and the reply's next marker.
    #[derive(Clone, Debug, PartialEq)]
    struct Page {
        ids: Vec<&'static str>,
        next: Option<&'static str>,
    }

    fn page(ids: &[&'static str], next: Option<&'static str>) -> Page {
        Page {
            ids: ids.to_vec(),
            next,
        }
    }

    /// What each request asked for: (marker, limit).
    type Asked = Arc<Mutex<Vec<(Option<String>, u64)>>>;

    static BY_REPLY: MarkerSpec = MarkerSpec {
        operation: "list_things",
        limit: Some(3),
        last_item: false,
    };
    static BY_LAST_ITEM: MarkerSpec = MarkerSpec {
        operation: "list_things",
        limit: Some(3),
        last_item: true,
    };
    static NO_LIMIT: MarkerSpec = MarkerSpec {
        operation: "list_things",
        limit: None,
        last_item: true,
    };

    /// A list answering from `script` (the last page repeating), paged by
    /// marker from `start`.
    fn scripted(
        spec: &'static MarkerSpec,
        start: Option<&str>,
        limit: Option<u64>,
        script: Vec<Page>,
    ) -> (Pages<Page>, Asked) {
        let asked: Asked = Arc::default();
        let log = Arc::clone(&asked);
        let mut served = 0;
        let pages = Pages::by_marker(
            spec,
            start.map(str::to_owned),
            limit,
            move |marker, limit| {
                log.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((marker.map(str::to_owned), limit));
                let reply = script[served.min(script.len() - 1)].clone();
                served += 1;
                Some(std::future::ready(Ok(reply)))
            },
            |p: &Page| p.ids.len(),
            |p: &Page| p.next.map(str::to_owned),
        );
        (pages, asked)
    }

    /// Reads every page (the scripted futures are ready at once), up to 20.
    fn read_all(mut pages: Pages<Page>) -> Vec<Result<Page, Error>> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut out = Vec::new();
        while out.len() < 20 {
            match pages.poll_page(&mut cx) {
                Poll::Ready(Some(page)) => out.push(page),
                Poll::Ready(None) => break,
                Poll::Pending => panic!("a scripted page is always ready"),
            }
        }
        out
    }

    fn ok_ids(read: &[Result<Page, Error>]) -> Vec<&'static str> {
        read.iter()
            .flat_map(|p| match p {
                Ok(p) => p.ids.clone(),
                Err(e) => panic!("unexpected error: {e}"),
            })
            .collect()
    }

    fn asked(asked: &Asked) -> Vec<(Option<String>, u64)> {
        asked.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn m(marker: &str, limit: u64) -> (Option<String>, u64) {
        (Some(marker.to_owned()), limit)
    }

    #[test]
    fn the_reply_marker_is_followed_until_it_is_absent() {
        // Short pages do not end a list whose reply gives the next marker.
        let (pages, log) = scripted(
            &BY_REPLY,
            None,
            None,
            vec![
                page(&["a", "b"], Some("b")),
                page(&["c"], Some("c")),
                page(&["d", "e", "f"], None),
            ],
        );
        let read = read_all(pages);
        assert_eq!(ok_ids(&read), ["a", "b", "c", "d", "e", "f"]);
        assert_eq!(asked(&log), [(None, 3), m("b", 3), m("c", 3)]);
    }

    #[test]
    fn an_empty_next_marker_ends_the_list() {
        let (pages, log) = scripted(
            &BY_REPLY,
            None,
            Some(2),
            vec![page(&["a", "b"], Some("x")), page(&["c", "d"], Some(""))],
        );
        assert_eq!(ok_ids(&read_all(pages)), ["a", "b", "c", "d"]);
        assert_eq!(asked(&log), [(None, 2), m("x", 2)]);
    }

    #[test]
    fn an_empty_page_ends_the_list_whatever_its_marker() {
        let (pages, log) = scripted(
            &BY_REPLY,
            None,
            None,
            vec![page(&["a"], Some("a")), page(&[], Some("z"))],
        );
        let read = read_all(pages);
        assert_eq!(read.len(), 1, "the empty page is not handed on: {read:?}");
        assert_eq!(ok_ids(&read), ["a"]);
        assert_eq!(asked(&log), [(None, 3), m("a", 3)]);
    }

    #[test]
    fn paging_starts_from_the_callers_marker() {
        let (pages, log) = scripted(
            &BY_REPLY,
            Some("start"),
            Some(5),
            vec![page(&["a"], Some("a")), page(&["b"], None)],
        );
        assert_eq!(ok_ids(&read_all(pages)), ["a", "b"]);
        assert_eq!(asked(&log), [m("start", 5), m("a", 5)]);
    }

    #[test]
    fn a_next_marker_equal_to_the_one_sent_is_an_error_after_its_page() {
        let (pages, log) = scripted(
            &BY_REPLY,
            None,
            None,
            vec![page(&["a"], Some("a")), page(&["b"], Some("a"))],
        );
        let read = read_all(pages);
        assert_eq!(read.len(), 3, "{read:?}");
        assert_eq!(ok_ids(&read[..2]), ["a", "b"]);
        let Some(Err(Error::Pagination(e))) = read.get(2) else {
            panic!("expected the loop to be an error: {read:?}");
        };
        assert_eq!(
            (e.operation, e.marker.as_deref(), e.seen, e.total),
            ("list_things", Some("a"), 2, None)
        );
        assert!(e.message.contains("marker just sent"), "{e}");
        assert!(
            e.to_string().starts_with(
                "list_things failed: paging stopped at marker \"a\" after 2 item(s): "
            ),
            "{e}"
        );
        // Not asked again, and the list has ended.
        assert_eq!(asked(&log), [(None, 3), m("a", 3)]);
    }

    #[test]
    fn the_callers_marker_given_back_is_a_loop_too() {
        let (pages, log) = scripted(&BY_REPLY, Some("k"), None, vec![page(&["a"], Some("k"))]);
        let read = read_all(pages);
        assert!(
            matches!(read.as_slice(), [Ok(_), Err(Error::Pagination(e))] if e.marker.as_deref() == Some("k")),
            "{read:?}"
        );
        assert_eq!(asked(&log), [m("k", 3)]);
    }

    #[test]
    fn the_last_items_marker_ends_at_a_short_page() {
        let (pages, log) = scripted(
            &BY_LAST_ITEM,
            None,
            None,
            vec![
                page(&["a", "b", "c"], Some("c")),
                page(&["d", "e", "f"], Some("f")),
                page(&["g"], Some("g")),
            ],
        );
        assert_eq!(
            ok_ids(&read_all(pages)),
            ["a", "b", "c", "d", "e", "f", "g"]
        );
        assert_eq!(asked(&log), [(None, 3), m("c", 3), m("f", 3)]);
    }

    #[test]
    fn the_last_items_marker_ends_at_an_empty_page_after_a_full_one() {
        let (pages, log) = scripted(
            &BY_LAST_ITEM,
            None,
            Some(2),
            vec![page(&["a", "b"], Some("b")), page(&[], None)],
        );
        assert_eq!(ok_ids(&read_all(pages)), ["a", "b"]);
        assert_eq!(asked(&log), [(None, 2), m("b", 2)]);
    }

    #[test]
    fn without_a_page_size_a_short_page_does_not_end_the_list() {
        // The list takes no limit: how long a full page is is unknown.
        let (pages, log) = scripted(
            &NO_LIMIT,
            None,
            Some(7),
            vec![
                page(&["a"], Some("a")),
                page(&["b"], Some("b")),
                page(&[], None),
            ],
        );
        assert_eq!(ok_ids(&read_all(pages)), ["a", "b"]);
        assert_eq!(asked(&log), [(None, 0), m("a", 0), m("b", 0)]);
    }

    #[test]
    fn a_marker_the_parameter_cannot_take_is_an_error() {
        let pages = Pages::by_marker(
            &BY_REPLY,
            None,
            None,
            |marker: Option<&str>, _| {
                let reply = page(&["a"], Some("not-a-number"));
                match marker {
                    Some(m) => m.parse::<u64>().ok().map(|_| std::future::ready(Ok(reply))),
                    None => Some(std::future::ready(Ok(reply))),
                }
            },
            |p: &Page| p.ids.len(),
            |p: &Page| p.next.map(str::to_owned),
        );
        let read = read_all(pages);
        assert!(
            matches!(read.as_slice(), [Ok(_), Err(Error::Pagination(e))] if e.marker.as_deref() == Some("not-a-number")),
            "{read:?}"
        );
    }

    #[test]
    fn a_failing_page_ends_the_list_with_its_error() {
        let mut served = 0;
        let pages = Pages::by_marker(
            &BY_REPLY,
            None,
            None,
            move |_, _| {
                served += 1;
                Some(std::future::ready(if served == 1 {
                    Ok(page(&["a"], Some("a")))
                } else {
                    Err(Error::config("down"))
                }))
            },
            |p: &Page| p.ids.len(),
            |p: &Page| p.next.map(str::to_owned),
        );
        let read = read_all(pages);
        assert!(
            matches!(read.as_slice(), [Ok(_), Err(Error::Config(_))]),
            "{read:?}"
        );
    }

    #[test]
    fn marker_values_of_every_field_type() {
        assert_eq!(Cursor::cursor(&"m-1".to_owned()), Some("m-1".to_owned()));
        assert_eq!(Cursor::cursor(&Some(42_i64)), Some("42".to_owned()));
        assert_eq!(Cursor::cursor(&Some(Some(7_u32))), Some("7".to_owned()));
        assert_eq!(Cursor::cursor(&None::<String>), None);
    }

    #[test]
    fn offset_paging_still_stops_at_the_count_and_reports_a_contradiction() {
        static OFFSET: PageSpec = PageSpec {
            operation: "list_offsets",
            start: 0,
            counts_items: true,
            limit: 2,
        };
        let asked: Arc<Mutex<Vec<(u64, u64)>>> = Arc::default();
        let log = Arc::clone(&asked);
        let pages = Pages::new(
            &OFFSET,
            None,
            None,
            move |offset, limit| {
                log.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((offset, limit));
                let ids: &[&'static str] = if offset == 0 { &["a", "b"] } else { &[] };
                std::future::ready(Ok(page(ids, None)))
            },
            |p: &Page| p.ids.len(),
            |_| Some(5),
        );
        let read = read_all(pages);
        assert!(
            matches!(read.as_slice(), [Ok(_), Err(Error::Pagination(e))]
                if e.total == Some(5) && e.offset == 2 && e.marker.is_none()),
            "{read:?}"
        );
        assert_eq!(
            *asked.lock().unwrap_or_else(|e| e.into_inner()),
            [(0, 2), (2, 2)]
        );
    }
}
