# Sourced by submit.sh and phase.sh: makes the output and log folders absolute (tasks start elsewhere) and publishes the
# program once, unless --program named one. Reads and sets out, logs and program; needs repo and fail.
prepare_program() {
  mkdir -p "$out" && out=$(realpath "$out")
  logs=${logs:-$out/slurm-logs}
  mkdir -p "$logs" && logs=$(realpath "$logs") # Slurm does not create the log folder: a task without it writes no log at all

  if [[ -z $program ]]; then
    # Built once, here; the tasks only run it. (A build while tasks run would rewrite files under them.)
    echo "publishing the program into $out/program ..."
    # Self-contained for linux-x64: nodes need no .NET, and each task starts the same files.
    dotnet publish "$repo/src/Experiments" --configuration Release --runtime linux-x64 --output "$out/program" --nologo --verbosity quiet
    program=$out/program/Experiments
  fi
  [[ -e $program ]] || fail "--program $program: not found; expected a built Experiments program or Experiments.dll"
  program=$(realpath "$program")
}
