"""The material library of a space: files, links and videos with a discussion each."""
