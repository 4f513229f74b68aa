//! `vvv-devnet`: a local Arbitrum Stylus chain behind a standard Ethereum JSON-RPC server, so
//! Foundry's `cast`, alloy and deployment scripts use it unchanged (as they would
//! `nitro-devnode` or Arbitrum Sepolia). The chain is `vvv-devnet-engine` (revm + wasmi).
//!
//! In process:
//! ```no_run
//! let server = vvv_devnet::Server::start(vvv_devnet::ServerConfig::ephemeral()).unwrap();
//! println!("{}", server.url()); // http://127.0.0.1:<free port>
//! let dev_key = server.accounts()[0].private_key;
//! server.stop();
//! ```

pub mod accounts;
pub mod http;
pub mod json;
pub mod node;
pub mod rpc;
pub mod ws;

pub use accounts::DevAccount;
pub use node::{Node, NodeSettings};
pub use vvv_devnet_engine as engine;

use alloy_primitives::U256;
use node::StateFile;
use rpc::Job;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const DEFAULT_PORT: u16 = 8547;

/// Server settings (the binary's flags).
#[derive(Clone, Debug)]
pub struct ServerConfig {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    pub chain_id: u64,
    /// Also mine an empty block every this often (transactions are always mined at once).
    pub block_time: Option<Duration>,
    /// Funded accounts besides the nitro-devnode dev key.
    pub accounts: usize,
    /// Genesis balance of every dev account, in wei.
    pub balance: U256,
    /// Keep the chain in this file (loaded at start, written atomically).
    pub state_file: Option<PathBuf>,
    /// Write the state file at most this often while the chain changes (and always on stop).
    /// Zero: after every change.
    pub state_interval: Duration,
    pub max_body_bytes: usize,
    pub max_connections: usize,
    pub max_batch: usize,
    pub idle_timeout: Duration,
    pub tx_gas_cap: u64,
    pub call_gas_cap: u64,
    pub max_logs: usize,
    /// How long a nonce-gapped transaction is held for its gap to fill.
    pub queue_timeout: Duration,
    /// Print transactions and control calls to stdout.
    pub log: bool,
    /// Most a Stylus hostio trace (`stylusTracer`) may hold before it is refused.
    pub trace_limits: vvv_devnet_engine::TraceLimits,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: DEFAULT_PORT,
            chain_id: vvv_devnet_engine::DEFAULT_CHAIN_ID,
            block_time: None,
            accounts: 10,
            balance: U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18)),
            state_file: None,
            state_interval: Duration::from_secs(1),
            max_body_bytes: 10 * 1024 * 1024,
            max_connections: 256,
            max_batch: 1000,
            idle_timeout: Duration::from_secs(30),
            tx_gas_cap: 32_000_000,
            call_gas_cap: 50_000_000,
            max_logs: 10_000,
            queue_timeout: Duration::from_secs(10),
            log: false,
            trace_limits: vvv_devnet_engine::TraceLimits::default(),
        }
    }
}

impl ServerConfig {
    /// Loopback, a free port, no state file, quiet: for tests and in-process use.
    pub fn ephemeral() -> Self {
        Self {
            port: 0,
            ..Self::default()
        }
    }
}

/// A running devnet. Stops (and writes its state file) on `stop()` or drop.
pub struct Server {
    addr: SocketAddr,
    accounts: Vec<accounts::DevAccount>,
    chain_id: u64,
    jobs: Sender<Job>,
    http: Arc<http::HttpShared>,
    acceptor: Option<JoinHandle<()>>,
    executor: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds, loads or creates the chain, and starts serving.
    pub fn start(cfg: ServerConfig) -> Result<Server, String> {
        let listener = TcpListener::bind((cfg.host.as_str(), cfg.port))
            .map_err(|e| format!("cannot listen on {}:{}: {e}", cfg.host, cfg.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let accounts = accounts::DevAccount::defaults(cfg.accounts);
        let settings = NodeSettings {
            chain_id: cfg.chain_id,
            tx_gas_cap: cfg.tx_gas_cap,
            call_gas_cap: cfg.call_gas_cap,
            max_logs: cfg.max_logs,
            max_snapshots: 256,
            max_mine: 100_000,
            log: cfg.log,
            queue_timeout: cfg.queue_timeout,
            trace_limits: cfg.trace_limits,
        };
        let (jobs_tx, jobs_rx) = channel::<Job>();
        let (init_tx, init_rx) = channel::<Result<(), String>>();
        let exec_cfg = cfg.clone();
        let exec_accounts = accounts.clone();
        // The engine's state is not Send: the chain is built and used on this thread only. Wasm
        // execution and nested EVM frames recurse deeply, so it gets a large stack.
        let executor = std::thread::Builder::new()
            .name("vvv-devnet-chain".into())
            .stack_size(64 * 1024 * 1024)
            .spawn(move || {
                let node = match load_or_create(&exec_cfg, settings, exec_accounts) {
                    Ok(n) => n,
                    Err(e) => {
                        let _ = init_tx.send(Err(e));
                        return;
                    }
                };
                let _ = init_tx.send(Ok(()));
                executor_loop(node, jobs_rx, &exec_cfg);
            })
            .map_err(|e| e.to_string())?;
        match init_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let _ = executor.join();
                return Err(e);
            }
            Err(_) => {
                let _ = executor.join();
                return Err("the chain thread failed to start".into());
            }
        }
        let limits = http::HttpLimits {
            max_body_bytes: cfg.max_body_bytes,
            max_connections: cfg.max_connections,
            max_batch: cfg.max_batch,
            idle_timeout: cfg.idle_timeout,
        };
        let shared = Arc::new(http::HttpShared::new(jobs_tx.clone(), limits));
        let sh = shared.clone();
        let acceptor = std::thread::Builder::new()
            .name("vvv-devnet-accept".into())
            .spawn(move || http::accept_loop(listener, sh))
            .map_err(|e| e.to_string())?;
        Ok(Server {
            addr,
            accounts,
            chain_id: cfg.chain_id,
            jobs: jobs_tx,
            http: shared,
            acceptor: Some(acceptor),
            executor: Some(executor),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://host:port`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }
    /// The funded accounts: the nitro-devnode dev key first.
    pub fn accounts(&self) -> &[accounts::DevAccount] {
        &self.accounts
    }

    /// Runs `f` on the chain thread with the node (engine and server state) and returns its
    /// result: direct in-process access for tests and tools.
    pub fn with_node<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Node) -> R + Send + 'static,
    ) -> R {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let job = Job::Exec(Box::new(move |node: &mut Node| {
            let _ = tx.send(f(node));
        }));
        self.jobs.send(job).expect("devnet running");
        rx.recv().expect("devnet running")
    }

    /// Stops serving, closes connections, writes the state file (if any) and joins the threads.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if self.acceptor.is_none() && self.executor.is_none() {
            return;
        }
        self.http.stop.store(true, Ordering::SeqCst);
        // wake the accept loop
        let wake = if self.addr.ip().is_unspecified() {
            SocketAddr::new([127, 0, 0, 1].into(), self.addr.port())
        } else {
            self.addr
        };
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        if let Some(h) = self.acceptor.take() {
            let _ = h.join();
        }
        self.http.close_all();
        let _ = self.jobs.send(Job::Stop);
        if let Some(h) = self.executor.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn load_or_create(
    cfg: &ServerConfig,
    settings: NodeSettings,
    accounts: Vec<accounts::DevAccount>,
) -> Result<Node, String> {
    if let Some(path) = &cfg.state_file {
        match std::fs::read(path) {
            Ok(bytes) => {
                let file: StateFile = serde_json::from_slice(&bytes)
                    .map_err(|e| format!("cannot read state file {}: {e}", path.display()))?;
                return Node::from_state(settings, accounts, file)
                    .map_err(|e| format!("cannot load state file {}: {e}", path.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot read state file {}: {e}", path.display())),
        }
    }
    let mut node = Node::new(settings, accounts, cfg.balance);
    if cfg.state_file.is_some() {
        persist(&mut node, cfg)?;
    }
    Ok(node)
}

/// Writes the state file atomically: a temporary file in the same directory, fsync, rename over
/// the old one, fsync the directory. A crash at any point leaves the old or the new file whole.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn persist(node: &mut Node, cfg: &ServerConfig) -> Result<(), String> {
    let Some(path) = &cfg.state_file else {
        return Ok(());
    };
    let bytes = serde_json::to_vec(&node.state_file()).map_err(|e| e.to_string())?;
    write_atomic(path, &bytes)
        .map_err(|e| format!("cannot write state file {}: {e}", path.display()))?;
    node.dirty = false;
    Ok(())
}

fn executor_loop(mut node: Node, jobs: Receiver<Job>, cfg: &ServerConfig) {
    let mut last_persist = Instant::now();
    // Writing a big chain takes time: write at most every max(interval, 10 × last write time)
    // so saving takes at most ~10% of the chain thread under sustained load (interval 0: after
    // every change, whatever it costs).
    let mut gap = cfg.state_interval;
    let mut next_block = cfg.block_time.map(|d| Instant::now() + d);
    loop {
        let now = Instant::now();
        let mut wait = Duration::from_secs(3600);
        if let Some(t) = next_block {
            wait = wait.min(t.saturating_duration_since(now));
        }
        if cfg.state_file.is_some() && node.dirty {
            wait = wait.min((last_persist + gap).saturating_duration_since(now));
        }
        let job = match jobs.recv_timeout(wait) {
            Ok(j) => Some(j),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        match job {
            Some(Job::Stop) => break,
            Some(Job::Rpc(calls, reply)) => {
                let results: Vec<_> = calls
                    .iter()
                    .map(|c| node.dispatch_safe(&c.method, &c.params))
                    .collect();
                // `--state-interval 0` promises that every change a client saw answered is on
                // disk, even if the process is killed the next instant: write before replying.
                if cfg.state_interval.is_zero() && node.dirty && cfg.state_file.is_some() {
                    if let Err(e) = persist(&mut node, cfg) {
                        eprintln!("vvv-devnet: {e}");
                    }
                    last_persist = Instant::now();
                }
                let _ = reply.send(results);
            }
            Some(Job::Exec(f)) => {
                let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut node)));
                if run.is_err() {
                    node.chain.recover();
                }
            }
            None => {}
        }
        if let (Some(t), Some(d)) = (next_block, cfg.block_time) {
            if Instant::now() >= t {
                let b = node.mine_empty();
                if cfg.log {
                    println!("mined block {} (timestamp {})", b.number, b.timestamp);
                }
                next_block = Some(Instant::now() + d);
            }
        }
        if node.dirty && cfg.state_file.is_some() && last_persist.elapsed() >= gap {
            let t = Instant::now();
            if let Err(e) = persist(&mut node, cfg) {
                eprintln!("vvv-devnet: {e}");
            }
            last_persist = Instant::now();
            if !cfg.state_interval.is_zero() {
                gap = cfg.state_interval.max(t.elapsed() * 10);
            }
        }
    }
    if node.dirty {
        if let Err(e) = persist(&mut node, cfg) {
            eprintln!("vvv-devnet: {e}");
        }
    }
}
