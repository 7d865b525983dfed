/the/ { n++ } END { print n }
