package vmtest

// A job is what the guest runs: written by the host as job.json into the
// control share, read by the guest's init.
type job struct {
	// Release is the guest kernel's release, the directory under
	// /lib/modules where the modules share is mounted.
	Release string
	// Workdir is the host directory shared read-write at the same path.
	Workdir string
	// Modules are loaded with modprobe before the first step.
	Modules []string
	// Env is the environment of every step.
	Env []string
	// Steps run one after the other.
	Steps []step
	// Verbose streams each step's output to the host, besides its log.
	Verbose bool
}

// A step is one command of a job, typically a package's test binary.
type step struct {
	// Name names the step in results, such as the package's import path.
	Name string
	// Dir is the working directory.
	Dir string
	// Args is the command; Args[0] is an absolute path.
	Args []string
	// Log is the file, inside Workdir, that receives the output.
	Log string
}

// Files of the control share (host: the run's temporary directory; guest:
// /run/vmtest).
const (
	ctlJob     = "job.json"     // the job
	ctlStarted = "started"      // created when the first step starts
	ctlResults = "results"      // one line per finished step: name, exit code, seconds
	ctlStatus  = "status"       // the job's exit status, written last
	ctlMissing = "missing-mods" // modules modprobe could not load
)

// Names of the 9p shares and of the output port.
const (
	tagCtl     = "vmtest.ctl"
	tagRoot    = "vmtest.root"
	tagModules = "vmtest.modules"
	tagBoot    = "vmtest.boot"
	tagWork    = "vmtest.work"
	portOut    = "vmtest.out"
)
