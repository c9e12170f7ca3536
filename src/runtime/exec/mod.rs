//! Performs the app's API calls through the typed client; each result comes back as
//! `Msg::Reply`, carrying the call it answers.
//!
//! Every row of the app's call registry (`app::call::for_each_call!`) has its `impl Perform` in
//! the file here named like the row's module; the dispatch below is made from the registry, so
//! a call without one does not compile.

mod chat;
mod contacts;
mod forwarding;
mod group;
mod group_files;
mod media;
mod members;
mod messages;
mod reactions;
mod requests;

use std::future::Future;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

use crate::app::Msg;
use crate::app::call::reply::{Reply, Request};
use crate::app::call::{Call, for_each_call};
use crate::onebot::{Client, Result};

/// How the runtime makes one of the app's calls.
pub trait Perform: Request {
    /// Makes the call through `client`.
    fn perform(&self, client: &Client) -> impl Future<Output = Result<Self::Output>> + Send;
}

/// Makes `spawn_call` from the registry's rows: one arm per call.
macro_rules! dispatch {
    ($($module:ident :: $name:ident),* $(,)?) => {
        /// Starts `call` in the background on `tasks`; its result is sent on `tx`.
        pub fn spawn_call(
            client: &Client,
            call: Call,
            tx: &UnboundedSender<Msg>,
            tasks: &mut JoinSet<()>,
        ) {
            match call {
                $(Call::$name(c) => spawn(client, c, tx, tasks, Reply::$name),)*
            }
        }
    };
}

for_each_call!(dispatch);

/// Performs `call` on its own task and sends the reply `wrap` makes of it and its result.
fn spawn<C>(
    client: &Client,
    call: C,
    tx: &UnboundedSender<Msg>,
    tasks: &mut JoinSet<()>,
    wrap: fn(C, Result<C::Output>) -> Reply,
) where
    C: Perform + Send + Sync + 'static,
    C::Output: Send,
{
    let client = client.clone();
    let tx = tx.clone();
    tasks.spawn(async move {
        let result = call.perform(&client).await;
        let _ = tx.send(Msg::Reply(wrap(call, result)));
    });
}
