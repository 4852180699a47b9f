//! Each side's state and the transition table, after h11's `_state.py`: event-triggered
//! transitions per role, then state-triggered ones until a fixed point.

use crate::{Error, ErrorKind};

/// Which side of the connection we are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// We send requests and receive responses.
    Client,
    /// We receive requests and send responses.
    Server,
}

impl Role {
    /// The other side.
    pub const fn peer(self) -> Role {
        match self {
            Role::Client => Role::Server,
            Role::Server => Role::Client,
        }
    }
}

/// The state of one side of the connection (h11's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum State {
    /// Between messages.
    Idle,
    /// (Server) a request arrived; interim responses may be sent, then the final one.
    SendResponse,
    /// Sending a body.
    SendBody,
    /// The message is complete; waiting for the other side or for the next cycle.
    Done,
    /// The message is complete and the connection must close (no keep-alive).
    MustClose,
    /// This side closed the connection.
    Closed,
    /// (Client) an Upgrade or CONNECT request was sent; waiting to learn whether it was accepted.
    MightSwitchProtocol,
    /// The connection now speaks another protocol; h1x is out of the way.
    SwitchedProtocol,
    /// A protocol error happened; the connection is unusable.
    Error,
}

impl State {
    /// Every state, in declaration order (`ALL[s as usize] == s`): for bindings that number
    /// states or name them with [`name`](Self::name).
    ///
    /// ```
    /// use h1x::State;
    /// assert_eq!(State::ALL[State::Done as usize], State::Done);
    /// assert_eq!(State::ALL.map(State::name)[0], "IDLE");
    /// ```
    pub const ALL: [State; 9] = [
        State::Idle,
        State::SendResponse,
        State::SendBody,
        State::Done,
        State::MustClose,
        State::Closed,
        State::MightSwitchProtocol,
        State::SwitchedProtocol,
        State::Error,
    ];

    /// The h11 name, e.g. `"SEND_RESPONSE"`.
    ///
    /// ```
    /// assert_eq!(h1x::State::MightSwitchProtocol.name(), "MIGHT_SWITCH_PROTOCOL");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            State::Idle => "IDLE",
            State::SendResponse => "SEND_RESPONSE",
            State::SendBody => "SEND_BODY",
            State::Done => "DONE",
            State::MustClose => "MUST_CLOSE",
            State::Closed => "CLOSED",
            State::MightSwitchProtocol => "MIGHT_SWITCH_PROTOCOL",
            State::SwitchedProtocol => "SWITCHED_PROTOCOL",
            State::Error => "ERROR",
        }
    }
}

/// The kinds of events that move the state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventType {
    Request,
    Interim,
    Response,
    Data,
    EndOfMessage,
    ConnectionClosed,
}

/// A protocol switch the server accepted with this event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    /// 101 in reply to `Upgrade`.
    Upgrade,
    /// 2xx in reply to CONNECT.
    Connect,
}

/// The event-triggered transitions (h11's `EVENT_TRIGGERED_TRANSITIONS`) for events that accept
/// no protocol switch: the state `role` moves to from each state on each event, `None` where the
/// event is illegal.
const fn transition(role: Role, from: State, event: EventType) -> Option<State> {
    use EventType as E;
    use State as S;
    Some(match (role, from, event) {
        (Role::Client, S::Idle, E::Request) => S::SendBody,
        (_, S::Idle | S::Done | S::MustClose | S::Closed, E::ConnectionClosed) => S::Closed,
        (_, S::SendBody, E::Data) => S::SendBody,
        (_, S::SendBody, E::EndOfMessage) => S::Done,
        // from IDLE: a final response before any request, sent or received (`408 Request
        // Timeout` on an idle connection; `400`/`431` after a head that could not be parsed)
        (Role::Server, S::Idle | S::SendResponse, E::Response) => S::SendBody,
        // an interim response answers a request: never from IDLE
        (Role::Server, S::SendResponse, E::Interim) => S::SendResponse,
        _ => return None,
    })
}

const ROLES: [Role; 2] = [Role::Client, Role::Server];
const EVENTS: [EventType; 6] = [
    EventType::Request,
    EventType::Interim,
    EventType::Response,
    EventType::Data,
    EventType::EndOfMessage,
    EventType::ConnectionClosed,
];

/// [`transition`] for every role, event and state, indexed by their discriminants: one load
/// instead of a chain of comparisons for every event.
static TRANSITIONS: [[[Option<State>; 9]; 6]; 2] = {
    let mut t = [[[None; 9]; 6]; 2];
    let mut r = 0;
    while r < 2 {
        let mut e = 0;
        while e < 6 {
            let mut s = 0;
            while s < 9 {
                // the arrays list each enum in declaration order (checked by a test)
                t[r][e][s] = transition(ROLES[r], State::ALL[s], EVENTS[e]);
                s += 1;
            }
            e += 1;
        }
        r += 1;
    }
    t
};

/// Both sides' states plus the facts that drive state-triggered transitions (4 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct States {
    pub client: State,
    pub server: State,
    pub keep_alive: bool,
    /// bit 0: Upgrade proposed, bit 1: CONNECT proposed
    pub proposals: u8,
}

pub(crate) const PROPOSED_UPGRADE: u8 = 1;
pub(crate) const PROPOSED_CONNECT: u8 = 2;

impl Default for States {
    fn default() -> Self {
        States {
            client: State::Idle,
            server: State::Idle,
            keep_alive: true,
            proposals: 0,
        }
    }
}

impl States {
    pub(crate) fn get(&self, role: Role) -> State {
        match role {
            Role::Client => self.client,
            Role::Server => self.server,
        }
    }

    fn slot(&mut self, role: Role) -> &mut State {
        match role {
            Role::Client => &mut self.client,
            Role::Server => &mut self.server,
        }
    }

    /// Apply `event` sent by `role`. `switch` is set when a server event accepts a proposal.
    ///
    /// Inlined: the callers pass constant roles and events, so the usual case folds to one
    /// table load and the settle test.
    #[inline]
    pub(crate) fn process(
        &mut self,
        role: Role,
        event: EventType,
        switch: Option<Switch>,
    ) -> Result<(), Error> {
        use EventType as E;
        use State as S;
        let from = self.get(role);
        let to = match switch {
            None => {
                if event == E::Response {
                    self.proposals = 0;
                }
                TRANSITIONS[role as usize][event as usize][from as usize]
            }
            Some(s) => self.switch_target(role, from, event, s)?,
        };
        let Some(to) = to else {
            return Err(Error::local(ErrorKind::IllegalEvent));
        };
        *self.slot(role) = to;
        if role == Role::Client && event == E::Request {
            // the server sees the request too
            if self.server != S::Idle {
                return Err(Error::local(ErrorKind::IllegalEvent));
            }
            self.server = S::SendResponse;
        }
        self.settle();
        Ok(())
    }

    /// The state an event that accepts the proposal `s` moves `role` to (`None`: illegal).
    #[inline(never)]
    fn switch_target(
        &self,
        role: Role,
        from: State,
        event: EventType,
        s: Switch,
    ) -> Result<Option<State>, Error> {
        use EventType as E;
        use State as S;
        let bit = match s {
            Switch::Upgrade => PROPOSED_UPGRADE,
            Switch::Connect => PROPOSED_CONNECT,
        };
        if role != Role::Server || self.proposals & bit == 0 {
            return Err(Error::local(ErrorKind::UnexpectedSwitch));
        }
        Ok(match (from, event, s) {
            (S::SendResponse, E::Interim, Switch::Upgrade)
            | (S::SendResponse, E::Response, Switch::Connect) => Some(S::SwitchedProtocol),
            // the table's interim and response rows are for events without a switch
            (_, E::Interim | E::Response, _) => None,
            _ => TRANSITIONS[role as usize][event as usize][from as usize],
        })
    }

    /// Keep-alive is off from now on (`Connection: close`, HTTP/1.0).
    pub(crate) fn disable_keep_alive(&mut self) {
        self.keep_alive = false;
        self.settle();
    }

    /// `role` hit an error.
    pub(crate) fn fail(&mut self, role: Role) {
        *self.slot(role) = State::Error;
        self.settle();
    }

    /// State-triggered transitions, applied until nothing changes.
    #[inline]
    pub(crate) fn settle(&mut self) {
        // Fast path for a plain keep-alive cycle, checked with two bit tests: every rule below
        // needs a proposal, keep-alive off, a client in MIGHT_SWITCH_PROTOCOL, CLOSED or ERROR,
        // or a server in CLOSED or ERROR.
        const fn bit(s: State) -> u16 {
            1 << s as u8
        }
        const CLIENT_TRIGGERS: u16 =
            bit(State::MightSwitchProtocol) | bit(State::Closed) | bit(State::Error);
        const SERVER_TRIGGERS: u16 = bit(State::Closed) | bit(State::Error);
        if self.proposals == 0
            && self.keep_alive
            && bit(self.client) & CLIENT_TRIGGERS == 0
            && bit(self.server) & SERVER_TRIGGERS == 0
        {
            return;
        }
        self.settle_loop();
    }

    #[inline(never)]
    fn settle_loop(&mut self) {
        use State as S;
        loop {
            let before = *self;
            if self.proposals != 0 && self.client == S::Done {
                self.client = S::MightSwitchProtocol;
            }
            if self.proposals == 0 && self.client == S::MightSwitchProtocol {
                self.client = S::Done;
            }
            if !self.keep_alive {
                for s in [&mut self.client, &mut self.server] {
                    if *s == S::Done {
                        *s = S::MustClose;
                    }
                }
            }
            match (self.client, self.server) {
                (S::MightSwitchProtocol, S::SwitchedProtocol) => self.client = S::SwitchedProtocol,
                (S::Closed, S::Done | S::Idle) | (S::Error, S::Done) => self.server = S::MustClose,
                (S::Done | S::Idle, S::Closed) | (S::Done, S::Error) => self.client = S::MustClose,
                _ => {}
            }
            if *self == before {
                return;
            }
        }
    }

    /// Both sides back to IDLE for the next request/response cycle.
    pub(crate) fn start_next_cycle(&mut self) -> Result<(), Error> {
        if self.client != State::Done || self.server != State::Done {
            return Err(Error::local(ErrorKind::IllegalEvent));
        }
        *self = States::default();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EventType as E;
    use State as S;

    /// The match `process` had before the table: the reference the table is checked against.
    fn reference_process(
        st: &mut States,
        role: Role,
        event: EventType,
        switch: Option<Switch>,
    ) -> Result<(), Error> {
        if let Some(s) = switch {
            let bit = match s {
                Switch::Upgrade => PROPOSED_UPGRADE,
                Switch::Connect => PROPOSED_CONNECT,
            };
            if role != Role::Server || st.proposals & bit == 0 {
                return Err(Error::local(ErrorKind::UnexpectedSwitch));
            }
        } else if event == E::Response {
            st.proposals = 0;
        }
        let from = st.get(role);
        let to = match (role, from, event, switch) {
            (Role::Client, S::Idle, E::Request, _) => S::SendBody,
            (
                Role::Client | Role::Server,
                S::Idle | S::Done | S::MustClose | S::Closed,
                E::ConnectionClosed,
                _,
            ) => S::Closed,
            (_, S::SendBody, E::Data, _) => S::SendBody,
            (_, S::SendBody, E::EndOfMessage, _) => S::Done,
            (Role::Server, S::Idle | S::SendResponse, E::Response, None) => S::SendBody,
            (Role::Server, S::SendResponse, E::Interim, None) => S::SendResponse,
            (Role::Server, S::SendResponse, E::Interim, Some(Switch::Upgrade)) => {
                S::SwitchedProtocol
            }
            (Role::Server, S::SendResponse, E::Response, Some(Switch::Connect)) => {
                S::SwitchedProtocol
            }
            _ => return Err(Error::local(ErrorKind::IllegalEvent)),
        };
        *st.slot(role) = to;
        if role == Role::Client && event == E::Request {
            if st.server != S::Idle {
                return Err(Error::local(ErrorKind::IllegalEvent));
            }
            st.server = S::SendResponse;
        }
        st.settle_loop();
        Ok(())
    }

    #[test]
    fn process_matches_the_reference_everywhere() {
        for client in State::ALL {
            for server in State::ALL {
                for keep_alive in [false, true] {
                    for proposals in 0..4 {
                        for role in ROLES {
                            for event in EVENTS {
                                for switch in [None, Some(Switch::Upgrade), Some(Switch::Connect)] {
                                    let start = States {
                                        client,
                                        server,
                                        keep_alive,
                                        proposals,
                                    };
                                    let (mut a, mut b) = (start, start);
                                    let ra = a.process(role, event, switch);
                                    let rb = reference_process(&mut b, role, event, switch);
                                    assert_eq!(
                                        (ra, a),
                                        (rb, b),
                                        "{start:?} {role:?} {event:?} {switch:?}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn settle_fast_path_changes_nothing_the_loop_would_change() {
        for client in State::ALL {
            for server in State::ALL {
                for keep_alive in [false, true] {
                    for proposals in 0..4 {
                        let start = States {
                            client,
                            server,
                            keep_alive,
                            proposals,
                        };
                        let (mut a, mut b) = (start, start);
                        a.settle();
                        b.settle_loop();
                        assert_eq!(a, b, "{start:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn table_indices_are_the_discriminants() {
        for (i, r) in ROLES.iter().enumerate() {
            assert_eq!(*r as usize, i);
        }
        for (i, e) in EVENTS.iter().enumerate() {
            assert_eq!(*e as usize, i);
        }
        for (i, s) in State::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i);
        }
    }

    #[test]
    fn keep_alive_cycle() {
        let mut s = States::default();
        s.process(Role::Client, E::Request, None).unwrap();
        assert_eq!((s.client, s.server), (S::SendBody, S::SendResponse));
        s.process(Role::Client, E::EndOfMessage, None).unwrap();
        for _ in 0..3 {
            s.process(Role::Server, E::Interim, None).unwrap();
        }
        s.process(Role::Server, E::Response, None).unwrap();
        assert_eq!(
            s.process(Role::Server, E::Interim, None)
                .unwrap_err()
                .kind(),
            ErrorKind::IllegalEvent
        );
        s.process(Role::Server, E::EndOfMessage, None).unwrap();
        assert_eq!((s.client, s.server), (S::Done, S::Done));
        s.start_next_cycle().unwrap();
        assert_eq!(s, States::default());
    }

    #[test]
    fn upgrade_and_close() {
        let mut s = States {
            proposals: PROPOSED_UPGRADE,
            ..States::default()
        };
        s.process(Role::Client, E::Request, None).unwrap();
        s.process(Role::Client, E::EndOfMessage, None).unwrap();
        assert_eq!(s.client, S::MightSwitchProtocol);
        s.process(Role::Server, E::Interim, Some(Switch::Upgrade))
            .unwrap();
        assert_eq!(
            (s.client, s.server),
            (S::SwitchedProtocol, S::SwitchedProtocol)
        );

        let mut s = States::default();
        assert!(s
            .process(Role::Server, E::Interim, Some(Switch::Upgrade))
            .is_err());
        s.process(Role::Client, E::Request, None).unwrap();
        s.disable_keep_alive();
        s.process(Role::Client, E::EndOfMessage, None).unwrap();
        assert_eq!(s.client, S::MustClose);
        s.process(Role::Client, E::ConnectionClosed, None).unwrap();
        assert_eq!(s.client, S::Closed);
    }
}
