#!/bin/bash
# docker-stacks runs this before the server starts, after the home volume is mounted: give the user
# a link to the examples the image carries (the image cannot put them into the volume itself).
if [ ! -e "${HOME}/examples" ]; then
  ln -s /srv/datahub/examples "${HOME}/examples" || true
fi
