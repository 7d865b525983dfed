BEGIN { print 1 }
