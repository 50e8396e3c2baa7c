/// The release `btfkit --version` prints. Bump with each release note in the README.
let btfkitVersion = "0.12.0"
