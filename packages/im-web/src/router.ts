import { createRouter, createWebHashHistory } from 'vue-router';
import { tokens } from './api/token';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/home/chat' },
    { path: '/login', component: () => import('./views/LoginView.vue') },
    { path: '/register', component: () => import('./views/RegisterView.vue') },
    {
      path: '/home',
      component: () => import('./views/HomeView.vue'),
      redirect: '/home/chat',
      children: [
        { path: 'chat', component: () => import('./views/ChatView.vue') },
        { path: 'friend', component: () => import('./views/FriendView.vue') },
        { path: 'group', component: () => import('./views/GroupView.vue') },
        // System administrators only: the nav shows it to them, the API refuses everyone else.
        { path: 'admin', component: () => import('./views/AdminView.vue') },
      ],
    },
  ],
});

router.beforeEach((to) => {
  if (to.path.startsWith('/home') && !tokens.accessToken() && !tokens.refreshToken()) return '/login';
  return true;
});
