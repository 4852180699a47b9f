//! Pinned memory for one value whose type only the service's bounds name (the handler's future,
//! its response body), kept for the connection's life: every request reuses it instead of
//! boxing a new future and body (two allocations and frees per request).

use std::any::Any;
use std::pin::Pin;

/// A reusable pinned place for a `T`, behind `dyn` so that the connection's type does not name `T`.
pub(crate) trait Slot: Send {
    /// Drop the value held (in place: it is pinned), keep the memory.
    fn clear(&mut self);
    fn as_any(&mut self) -> &mut dyn Any;
}

struct Pinned<T>(Pin<Box<Option<T>>>);

impl<T: Send + 'static> Slot for Pinned<T> {
    fn clear(&mut self) {
        self.0.as_mut().set(None);
    }

    fn as_any(&mut self) -> &mut dyn Any {
        self
    }
}

/// A place for one value at a time, empty or holding a `T` known to the caller.
#[derive(Default)]
pub(crate) struct Place {
    slot: Option<Box<dyn Slot>>,
    live: bool,
}

impl Place {
    /// Hold `value` (pinned), reusing the memory when it held a `T` before.
    pub fn put<T: Send + 'static>(&mut self, value: T) {
        match self
            .slot
            .as_mut()
            .and_then(|s| s.as_any().downcast_mut::<Pinned<T>>())
        {
            Some(p) => p.0.as_mut().set(Some(value)),
            None => self.slot = Some(Box::new(Pinned(Box::pin(Some(value))))),
        }
        self.live = true;
    }

    /// The value held, pinned; `None` when empty.
    pub fn get<T: Send + 'static>(&mut self) -> Option<Pin<&mut T>> {
        if !self.live {
            return None;
        }
        let pinned = self.slot.as_mut()?.as_any().downcast_mut::<Pinned<T>>()?;
        pinned.0.as_mut().as_pin_mut()
    }

    /// Drop the value held, if any (the memory stays).
    #[inline]
    pub fn clear(&mut self) {
        if self.live {
            self.drop_value();
        }
    }

    fn drop_value(&mut self) {
        if let Some(s) = self.slot.as_mut() {
            s.clear();
        }
        self.live = false;
    }

    /// Give the memory back too.
    pub fn release(&mut self) {
        self.clear();
        self.slot = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn reuses_its_memory_drops_values_in_place_and_changes_type() {
        let mut place = Place::default();
        let first = Arc::new(1);
        place.put(Arc::clone(&first));
        assert_eq!(**place.get::<Arc<i32>>().unwrap(), 1);
        assert!(place.get::<u8>().is_none(), "another type is not there");
        let addr = |p: &mut Place| p.get::<Arc<i32>>().map(|v| &*v as *const Arc<i32>);
        let before = addr(&mut place);
        place.clear();
        assert_eq!(
            Arc::strong_count(&first),
            1,
            "cleared: the value is dropped"
        );
        assert!(place.get::<Arc<i32>>().is_none());
        place.put(Arc::new(2));
        assert_eq!(addr(&mut place), before, "same memory");
        place.put(7u8); // another type: new memory
        assert_eq!(*place.get::<u8>().unwrap(), 7);
        place.release();
        assert!(place.get::<u8>().is_none());
    }
}
