def log = new File(basedir, 'build.log').text
assert log.contains('content source notebookz does not exist — create it or fix <source> in the <content> of <image>') : log
assert !log.contains('at dev.datahub') : 'no stack trace for a user error'
assert !new File(basedir, 'target/datahub/image.json').exists()
return true
