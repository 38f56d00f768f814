//! Paged lists read as streams of pages or of items: offset/limit paging as the
//! spec declares it (`x-pagination`: parameter names, the items and count
//! fields, whether the offset counts items or pages and where it starts).
//!
//! Paging stops at an empty page, when the count the service reports is
//! reached, or (without a count) at a page shorter than the limit. A page that
//! comes back empty while the count says more items exist is an
//! [`Error::Pagination`], not a silent end.

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

type Fetch<P> = Box<dyn FnMut(u64, u64) -> BoxFuture<Result<P, Error>> + Send>;

/// The pages of a list, fetched one at a time as they are read.
#[must_use = "pages are fetched only when read"]
pub struct Pages<P> {
    spec: &'static PageSpec,
    fetch: Fetch<P>,
    len: fn(&P) -> usize,
    total: fn(&P) -> Option<u64>,
    offset: u64,
    limit: u64,
    /// Items before the caller's first offset (counted against the total).
    skipped: u64,
    seen: u64,
    done: bool,
    pending: Option<BoxFuture<Result<P, Error>>>,
}

impl<P> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.spec.operation)
            .field("offset", &self.offset)
            .field("limit", &self.limit)
            .field("seen", &self.seen)
            .field("done", &self.done)
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
        Pages {
            spec,
            fetch: Box::new(move |o, l| Box::pin(fetch(o, l))),
            len,
            total,
            offset,
            limit,
            skipped: if spec.counts_items {
                pages_skipped
            } else {
                pages_skipped.saturating_mul(limit)
            },
            seen: 0,
            done: false,
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
        if self.done {
            return Poll::Ready(None);
        }
        if self.pending.is_none() {
            let future = (self.fetch)(self.offset, self.limit);
            self.pending = Some(future);
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
                self.done = true;
                return Poll::Ready(Some(Err(e)));
            }
        };
        let n = (self.len)(&page) as u64;
        let total = (self.total)(&page);
        if n == 0 {
            self.done = true;
            if let Some(total) = total.filter(|t| self.skipped + self.seen < *t) {
                return Poll::Ready(Some(Err(self.inconsistent(
                    Some(total),
                    format!(
                        "the service counts {total} item(s) but returned an empty page after {}",
                        self.skipped + self.seen
                    ),
                ))));
            }
            return Poll::Ready(None);
        }
        self.seen += n;
        self.offset += if self.spec.counts_items { n } else { 1 };
        self.done = match total {
            Some(total) => self.skipped + self.seen >= total,
            // Without a count, a short page is the last one.
            None => n < self.limit,
        };
        Poll::Ready(Some(Ok(page)))
    }

    fn inconsistent(&self, total: Option<u64>, message: String) -> Error {
        Error::Pagination(Box::new(PaginationError {
            operation: self.spec.operation,
            offset: self.offset,
            seen: self.seen,
            total,
            message,
        }))
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
