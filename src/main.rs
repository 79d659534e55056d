//! `convscope`: the command line face of the core library.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};
use cli::Backend;
use convscope::probe::Knockouts;
use convscope::training::{
    OptimizerKind, RaceBudget, RaceConfig, RaceOrder, RunConfig, Schedule, TrainConfig,
    from_scratch,
};

#[derive(Parser)]
#[command(
    name = "convscope",
    version,
    about = "Classic CNNs (AlexNet, VGG, GoogLeNet, ResNet-18) on MNIST"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The presets: the seed's networks and their browser-sized variants.
    List,
    /// The layer table: output shape, parameters and MACs of every layer.
    Summary {
        #[arg(long)]
        arch: String,
        /// Another input size, CxHxW (GoogLeNet and ResNet take any size from 32).
        #[arg(long)]
        input_size: Option<String>,
        #[arg(long)]
        json: bool,
        /// Print the architecture's declarative description (its module tree) as JSON instead.
        #[arg(long, conflicts_with = "json")]
        tree: bool,
    },
    /// Classify an image (preprocessed like the app) or a .npy NCHW float32 tensor (as is).
    Infer {
        #[command(flatten)]
        network: cli::ModelArgs,
        #[arg(
            long,
            required_unless_present = "mnist_test",
            conflicts_with = "mnist_test"
        )]
        input: Option<PathBuf>,
        /// Classify digit N of MNIST's test set instead (as the page's MNIST picker shows it).
        #[arg(long, value_name = "N")]
        mnist_test: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Train on MNIST and save the weights as a PyTorch-compatible .safetensors file; by default
    /// the network's recommended run from scratch, the Train tab's (one pass to about 97 %).
    Train {
        #[arg(long)]
        arch: String,
        /// Default: the network's recommended run from scratch (1).
        #[arg(long)]
        epochs: Option<u64>,
        #[command(flatten)]
        optimizer: OptimizerArgs,
        /// Use only the first N training images; default: the network's recommended run
        /// (20,000 to 40,000), 60000 for all of them.
        #[arg(long)]
        train_size: Option<usize>,
        /// How the learning rate moves over the run: constant, cosine (half a cosine down to
        /// zero) or warmup-cosine (a climb over the first tenth, then the cosine).
        #[arg(long, default_value = "warmup-cosine")]
        schedule: Schedule,
        /// Start from these weights instead of a random initialization.
        #[arg(long)]
        weights: Option<PathBuf>,
        /// Where to save (after every epoch); default PRESET.safetensors.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "cpu")]
        device: Backend,
    },
    /// Train two to four presets from random weights on the same digits, batch size,
    /// optimizer and budget; print who reached 95 % and 98 % test accuracy first.
    Race {
        /// The networks, comma-separated (e.g. vgg-lite,resnet18-lite).
        #[arg(long, value_delimiter = ',', required = true)]
        archs: Vec<String>,
        /// Budget per network in training images...
        #[arg(long, conflicts_with = "seconds", required_unless_present = "seconds")]
        images: Option<u64>,
        /// ... or in seconds of training.
        #[arg(long)]
        seconds: Option<f64>,
        /// Train each network's whole budget before the next (default: take turns).
        #[arg(long)]
        one_after_another: bool,
        #[command(flatten)]
        optimizer: OptimizerArgs,
        /// Measure accuracy on the first N test digits.
        #[arg(long, default_value_t = 1000)]
        test_digits: usize,
        #[arg(long, value_enum, default_value = "cpu")]
        device: Backend,
        /// The standing (every lane's curves) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// MNIST test accuracy.
    Eval {
        #[command(flatten)]
        network: cli::ModelArgs,
        /// Evaluate on the first N test images only.
        #[arg(long)]
        limit: Option<usize>,
        /// Switch a part off while evaluating: `<tap>:<channel>`, an Inception branch
        /// (`b3.inception1.branch2`), a residual block's `main` or `shortcut`, or a VGG block
        /// whose convolutions keep their shape (`block5`). Repeat for several.
        #[arg(long = "knockout", value_name = "PART")]
        knockouts: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

/// How a command trains: the same flags for `train` and `race`.
#[derive(clap::Args)]
struct OptimizerArgs {
    /// Default: train, the network's recommended run (32); race, 64.
    #[arg(long)]
    batch: Option<usize>,
    /// Learning rate; default: train, the network's recommended run for Adam; race, 0.001 for
    /// Adam; both 0.05 for SGD.
    #[arg(long)]
    lr: Option<f64>,
    /// sgd (with momentum 0.9) or adam [default: adam].
    #[arg(long)]
    optimizer: Option<OptimizerKind>,
    /// Seeds the initialization and the shuffling.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

impl OptimizerArgs {
    /// The flags given, the rest from `defaults`; a rate not given for another optimizer than
    /// the defaults' is that optimizer's own default.
    fn train_config(&self, defaults: TrainConfig) -> TrainConfig {
        let optimizer = self.optimizer.unwrap_or(defaults.optimizer);
        let default_rate = if optimizer == defaults.optimizer {
            defaults.learning_rate
        } else {
            optimizer.default_learning_rate()
        };
        TrainConfig {
            optimizer,
            learning_rate: self.lr.unwrap_or(default_rate),
            batch_size: self.batch.unwrap_or(defaults.batch_size),
            seed: self.seed,
        }
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::List => cli::list::run(),
        Command::Summary {
            arch,
            input_size,
            json,
            tree,
        } => {
            let preset = cli::preset(&arch)?;
            let input = input_size
                .map(|text| cli::summary::parse_input_size(&text, preset))
                .transpose()?;
            if tree {
                cli::summary::print_tree(preset, input)
            } else {
                cli::summary::run(preset, input, json)
            }
        }
        Command::Infer {
            network,
            input,
            mnist_test,
            json,
        } => {
            let loaded = network.load()?;
            let input = match (input, mnist_test) {
                (Some(path), _) => cli::infer::Input::File(path),
                (None, Some(index)) => cli::infer::Input::MnistTest(index),
                (None, None) => bail!("give --input FILE or --mnist-test N"),
            };
            cli::infer::run(loaded.preset, &loaded.model, &input, json, &loaded.device)
        }
        Command::Train {
            arch,
            epochs,
            optimizer,
            train_size,
            schedule,
            weights,
            out,
            device,
        } => {
            let preset = cli::preset(&arch)?;
            let device = device.device()?;
            let start = match weights {
                Some(path) => cli::load_model(preset, Some(&path), &device)?,
                None => {
                    device.seed(optimizer.seed);
                    convscope::model::Model::from_preset(preset, &device)
                }
            };
            let recommended = from_scratch(preset.family);
            let config = RunConfig {
                train: optimizer.train_config(recommended.train),
                epochs: epochs.unwrap_or(recommended.epochs),
                train_size: train_size.or(recommended.train_size),
                schedule,
            };
            let out = out.unwrap_or_else(|| PathBuf::from(format!("{}.safetensors", preset.name)));
            cli::train::run(preset, start, config, &out, &device)
        }
        Command::Race {
            archs,
            images,
            seconds,
            one_after_another,
            optimizer,
            test_digits,
            device,
            json,
        } => {
            let device = device.device()?;
            device.seed(optimizer.seed);
            let config = RaceConfig {
                presets: archs,
                train: optimizer.train_config(TrainConfig::default()),
                budget: match (images, seconds) {
                    (Some(images), _) => RaceBudget::Images(images),
                    (None, Some(seconds)) => RaceBudget::Seconds(seconds),
                    (None, None) => bail!("give --images N or --seconds S"),
                },
                order: if one_after_another {
                    RaceOrder::OneAfterAnother
                } else {
                    RaceOrder::Interleaved
                },
                test_digits,
            };
            cli::race::run(config, json, &device)
        }
        Command::Eval {
            network,
            limit,
            knockouts,
            json,
        } => {
            let loaded = network.load()?;
            let knockouts = Knockouts::parse(&knockouts, loaded.model.architecture())?;
            let options = cli::eval::Options {
                limit,
                knockouts,
                json,
            };
            cli::eval::run(loaded.preset, &loaded.model, &options, &loaded.device)
        }
    }
}

/// Clap's multi-line usage errors folded into one line.
fn one_line(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    rendered
        .lines()
        .take_while(|line| !line.starts_with("Usage:"))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches("error: ")
        .to_string()
}

fn main() -> ExitCode {
    // Whatever goes wrong inside burn still ends as one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        eprintln!(
            "error: internal error: {}",
            message.lines().next().unwrap_or_default()
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            print!("{}", error.render());
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("error: {}", one_line(&error));
            return ExitCode::from(2);
        }
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
