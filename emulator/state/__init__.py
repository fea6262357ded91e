"""What the emulator remembers: the profile, the process state, stored responses, files and
vector stores."""
