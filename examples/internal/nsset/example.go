package nsset

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// An Example is the topology one example command builds in network
// namespaces of its own.
type Example interface {
	// Names returns the names of the namespaces, in the order Run makes
	// them.
	Names() []string
	// Build makes the topology in the namespaces, which Run has made.
	Build(ctx context.Context) error
	// Prove shows that traffic crosses the topology and returns the line
	// to log about it.
	Prove(ctx context.Context) (string, error)
	// Print writes the topology as JSON to w.
	Print(ctx context.Context, w io.Writer) error
}

// Config is what Run needs from its caller.
type Config struct {
	// Name starts the progress messages: the example command's name.
	Name string
	// Out receives the topology's JSON, Log the progress messages.
	Out, Log io.Writer
	// Inspect, when set, runs once the topology is built and printed,
	// before it is removed.
	Inspect func(context.Context) error
}

// Run makes the example's namespaces, builds its topology, proves that
// traffic crosses it, prints it and removes it. The removal runs whatever
// happens before it, also when ctx is cancelled, and its error joins the
// one that stopped Run.
func Run(ctx context.Context, ex Example, cfg Config) (err error) {
	var set Set
	defer func() {
		if rmErr := set.RemoveDetached(ctx); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("remove the topology: %w", rmErr))
			return
		}
		fmt.Fprintln(cfg.Log, cfg.Name+": removed", ex.Names())
	}()

	if err := set.Add(ctx, ex.Names()...); err != nil {
		return fmt.Errorf("build the topology: %w", err)
	}
	if err := ex.Build(ctx); err != nil {
		return fmt.Errorf("build the topology: %w", err)
	}
	fmt.Fprintln(cfg.Log, cfg.Name+": built", ex.Names())

	proof, err := ex.Prove(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(cfg.Log, cfg.Name+": "+proof)

	if err := ex.Print(ctx, cfg.Out); err != nil {
		return fmt.Errorf("print the topology: %w", err)
	}
	if cfg.Inspect != nil {
		return cfg.Inspect(ctx)
	}
	return nil
}

// Main is the main function of the example command name, whose topology
// newExample returns for a prefix of its namespaces' names. It reads the
// flags -prefix and -wait (wait for Ctrl-C before removing the topology),
// runs the example until it ends or SIGINT or SIGTERM arrives, and exits
// with status 1 on an error.
func Main(name string, newExample func(prefix string) Example) {
	prefix := flag.String("prefix", fmt.Sprintf("%s-%d", name, os.Getpid()), "prefix of the namespaces' names")
	wait := flag.Bool("wait", false, "wait for Ctrl-C before removing the topology")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ex := newExample(*prefix)
	cfg := Config{Name: name, Out: os.Stdout, Log: os.Stderr}
	if *wait {
		cfg.Inspect = func(ctx context.Context) error {
			fmt.Fprintln(os.Stderr, name+": waiting for Ctrl-C; look around with ip -n", ex.Names()[0], "…")
			<-ctx.Done()
			return nil
		}
	}
	if err := Run(ctx, ex, cfg); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
